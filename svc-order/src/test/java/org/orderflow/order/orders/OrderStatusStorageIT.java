package org.orderflow.order.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.Json;
import org.orderflow.service.Lifecycle;

/** How the status is stored (migration V3): changed in place, and still found by GET /orders?status=. */
class OrderStatusStorageIT {
    private final Lifecycle lifecycle = new Lifecycle();
    private final OrderRepository repository = new OrderRepository();
    private Jdbi jdbi;
    private OrderService service;

    @BeforeEach
    void setUp() {
        jdbi = OrderDatabase.open(lifecycle);
        service = OrderDatabase.service();
    }

    @AfterEach
    void tearDown() {
        lifecycle.close();
    }

    @Test
    void aStatusChangeOnTheWayIsAHotUpdate() {
        String orderId = place();

        long hotUpdates = jdbi.inTransaction(handle -> {
            service.advanceAll(handle, OrderStatus.CONFIRMED, List.of(step(orderId)));
            service.advanceAll(handle, OrderStatus.PICKED_AND_PACKED, List.of(step(orderId)));
            return handle.createQuery("SELECT pg_stat_get_xact_tuples_hot_updated('orders'::regclass)").mapTo(Long.class).one();
        });

        assertThat(hotUpdates).isEqualTo(2);
    }

    @Test
    void theDatabaseCountsAnOrderInFlightExactlyWhenItsStatusIsNotFinal() {
        String orderId = place();

        for (OrderStatus status : OrderStatus.values()) {
            boolean inFlight = jdbi.withHandle(handle -> handle.createQuery(
                            "UPDATE orders SET status = :status WHERE order_id = :id RETURNING in_flight")
                    .bind("status", status.name()).bind("id", orderId).mapTo(Boolean.class).one());
            assertThat(inFlight).as(status.name()).isEqualTo(!status.isTerminal());
        }
    }

    @Test
    void listingByStatusFindsOrdersOnTheWayAndFinishedOnes() {
        String stuck = place();
        String shipped = place();
        for (int i = 0; i < 5; i++) {
            place(); // newer orders, still RECEIVED
        }
        jdbi.useTransaction(handle -> {
            service.advanceAll(handle, OrderStatus.CONFIRMED, List.of(step(stuck), step(shipped)));
            service.advanceAll(handle, OrderStatus.SHIPPED, List.of(step(shipped)));
        });

        assertThat(orderIds(OrderStatus.CONFIRMED)).contains(stuck).doesNotContain(shipped);
        assertThat(orderIds(OrderStatus.SHIPPED)).contains(shipped).doesNotContain(stuck);
        assertThat(orderIds(OrderStatus.RECEIVED)).doesNotContain(stuck, shipped);
    }

    private List<String> orderIds(OrderStatus status) {
        return jdbi.withHandle((Handle handle) -> repository.list(handle, null, status, null, 100)).stream()
                .map(row -> row.summary().orderId()).toList();
    }

    private String place() {
        PlaceOrderRequest request = new PlaceOrderRequest("customer-" + UUID.randomUUID(), "EUR",
                List.of(new PlaceOrderRequest.Item("sku-1", "Mug", 1, new BigDecimal("9.99"))));
        return jdbi.inTransaction(handle -> service.place(handle, request)).orderId();
    }

    private static OrderService.Step step(String orderId) {
        IncomingEvent event = new IncomingEvent(UUID.randomUUID().toString(), "StatusEvent", "a-test", Instant.now(), orderId,
                Json.mapper().createObjectNode().put("order_id", orderId), null, "a-topic", 0, 0, true);
        return new OrderService.Step(orderId, "customer", event, List.of());
    }
}
