package org.orderflow.warehouse.fulfilment;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.OrderConfirmed;
import org.orderflow.devstack.RealServers;
import org.orderflow.service.Infrastructure;
import org.orderflow.service.Lifecycle;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.Env;
import org.orderflow.service.config.ServiceDefaults;

/**
 * A cancellation racing its order's confirmation, on svc-warehouse's real database: OrderCancelled and OrderConfirmed
 * travel on different topics, so two consumers (often two instances) apply them at the same time.
 */
class FulfilmentCancellationIT {
    private final Lifecycle lifecycle = new Lifecycle();
    private Jdbi jdbi;

    @BeforeEach
    void open() {
        CommonConfig config = CommonConfig.fromEnv(Env.of(RealServers.shared().serviceEnvironment("warehouse")),
                ServiceDefaults.of("svc-warehouse", 0, "warehouse"));
        jdbi = Infrastructure.open(config, lifecycle, new SimpleMeterRegistry(), "db/migration/warehouse").jdbi();
        FulfilmentRepository.registerMappers(jdbi);
    }

    @AfterEach
    void close() {
        lifecycle.close();
    }

    @Test
    void aCancellationStopsTheFulfilmentItsConfirmationStoredJustAfterTheCancellationLookedForIt() {
        String orderId = UUID.randomUUID().toString();
        FulfilmentRepository racing = new FulfilmentRepository() {
            private boolean confirmed;

            @Override
            Optional<FulfilmentStatus> lockStatus(Handle handle, String id) {
                Optional<FulfilmentStatus> status = super.lockStatus(handle, id);
                if (!confirmed) {
                    confirmed = true;
                    confirmElsewhere(id); // after the lock found nothing, before the cancellation is recorded
                }
                return status;
            }
        };

        Optional<FulfilmentStatus> before = jdbi.inTransaction(handle -> racing.cancel(handle, orderId, "customer-1", "cancelled by the customer",
                Instant.now()));

        assertThat(before).contains(FulfilmentStatus.PICKING);
        assertThat(status(orderId)).as("not picked and shipped after all").isEqualTo("CANCELLED");
    }

    @Test
    void aCancellationBeforeItsConfirmationIsRecordedSoThatTheOrderIsNotPicked() {
        String orderId = UUID.randomUUID().toString();

        Optional<FulfilmentStatus> before = jdbi.inTransaction(handle -> new FulfilmentRepository().cancel(handle, orderId, "customer-1",
                "cancelled by the customer", Instant.now()));
        confirmElsewhere(orderId);

        assertThat(before).isEmpty();
        assertThat(status(orderId)).isEqualTo("CANCELLED");
    }

    /** The fulfilment, as svc-warehouse's consumer of OrderConfirmed stores it: in its own transaction, committed. */
    private void confirmElsewhere(String orderId) {
        OrderConfirmed order = new OrderConfirmed(orderId, "customer-1", List.of(new LineItem("mug", "Mug", 1, new BigDecimal("9.99"))),
                new BigDecimal("9.99"), Instant.now());
        Instant now = Instant.now();
        jdbi.useTransaction(other -> new FulfilmentRepository().insertAll(other,
                List.of(FulfilmentRepository.NewFulfilment.picking(order, now, now.plusSeconds(600), Optional.empty()))));
    }

    private String status(String orderId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT status FROM fulfilments WHERE order_id = :id")
                .bind("id", orderId).mapTo(String.class).one());
    }
}
