package org.orderflow.inventory.stock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.OrderReceived;
import org.orderflow.devstack.RealServers;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.Json;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.consumer.EventRouter.Payload;
import org.orderflow.messaging.consumer.RecordingContext;
import org.orderflow.service.Infrastructure;
import org.orderflow.service.Lifecycle;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.Env;
import org.orderflow.service.config.ServiceDefaults;

/** Orders decided a poll at a time ({@link StockService#onReceived}) against a real database. */
class StockServiceIT {
    private final Lifecycle lifecycle = new Lifecycle();
    private final StockRepository repository = new StockRepository();
    private final StockService service = new StockService(repository, Clock.systemUTC(), new StockCounters(new SimpleMeterRegistry()));
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        CommonConfig config = CommonConfig.fromEnv(Env.of(RealServers.shared().serviceEnvironment("inventory")),
                ServiceDefaults.of("svc-inventory", 0, "inventory"));
        jdbi = Infrastructure.open(config, lifecycle, new SimpleMeterRegistry(), "db/migration/inventory").jdbi();
    }

    @AfterEach
    void tearDown() {
        lifecycle.close();
    }

    @Test
    void ordersOfOnePollCompetingForTheLastUnitsAreDecidedInTheOrderTheyCame() {
        String product = product(3);
        OrderReceived first = order(product, 2);
        OrderReceived second = order(product, 2);
        OrderReceived third = order(product, 1);

        List<OutgoingEvent> published = decide(first, second, third);

        assertThat(published).extracting(OutgoingEvent::type, OutgoingEvent::key).containsSubsequence(
                tuple("OrderConfirmed", first.orderId()),
                tuple("OrderRejected", second.orderId()),
                tuple("OrderConfirmed", third.orderId()));
        assertThat(decision(first)).isEqualTo("CONFIRMED");
        assertThat(decision(second)).isEqualTo("REJECTED");
        assertThat(decision(third)).isEqualTo("CONFIRMED");
        assertThat(reserved(product)).isEqualTo(3);
        assertThat(reservedFor(first)).isEqualTo(2);
        assertThat(reservedFor(second)).isZero();
        assertThat(reservedFor(third)).isEqualTo(1);
    }

    @Test
    void anOrderTwiceInOnePollReservesOnce() {
        String product = product(5);
        OrderReceived order = order(product, 2);

        List<OutgoingEvent> published = decide(order, order);

        assertThat(published).filteredOn(event -> event.type().equals("OrderConfirmed")).hasSize(1);
        assertThat(reserved(product)).isEqualTo(2);
    }

    @Test
    void anOrderDecidedInAnEarlierPollReservesNothingMore() {
        String product = product(5);
        OrderReceived order = order(product, 2);
        decide(order);

        List<OutgoingEvent> published = decide(order);

        assertThat(published).isEmpty();
        assertThat(reserved(product)).isEqualTo(2);
    }

    private List<OutgoingEvent> decide(OrderReceived... orders) {
        List<Payload<OrderReceived>> received = new ArrayList<>();
        for (OrderReceived order : orders) {
            received.add(new Payload<>(order, event(order.orderId())));
        }
        return jdbi.inTransaction(handle -> {
            RecordingContext context = new RecordingContext(handle);
            service.onReceived(received, context);
            return context.published();
        });
    }

    private String product(int onHand) {
        String productId = "sku-" + UUID.randomUUID();
        jdbi.useHandle(handle -> repository.insert(handle, productId, "Last units", new BigDecimal("4.50"), onHand));
        return productId;
    }

    private static OrderReceived order(String productId, int quantity) {
        BigDecimal price = new BigDecimal("4.50");
        return new OrderReceived(UUID.randomUUID().toString(), "customer-1", List.of(new LineItem(productId, null, quantity, price)),
                price.multiply(BigDecimal.valueOf(quantity)), "EUR", Instant.now());
    }

    private static IncomingEvent event(String orderId) {
        return IncomingEvent.of(UUID.randomUUID().toString(), OrderReceived.TYPE, "a-test", Instant.now(), orderId,
                Json.mapper().createObjectNode().put("order_id", orderId));
    }

    private int reserved(String productId) {
        return jdbi.withHandle(handle -> repository.find(handle, productId).orElseThrow().reserved());
    }

    private int reservedFor(OrderReceived order) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT coalesce(sum(quantity), 0) FROM reservations WHERE order_id = :id AND state = 'RESERVED'")
                .bind("id", order.orderId()).mapTo(Integer.class).one());
    }

    private String decision(OrderReceived order) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT decision FROM order_decisions WHERE order_id = :id")
                .bind("id", order.orderId()).mapTo(String.class).one());
    }
}
