package org.orderflow.order.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.Json;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.consumer.RecordingContext;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.Notification;
import org.orderflow.contract.events.OrderReceived;
import org.orderflow.service.Lifecycle;

/** Status events applied a run at a time ({@link OrderService#advanceAll}) on a real database, and how the status is stored (V3). */
class OrderStatusChangesIT {
    private final Lifecycle lifecycle = new Lifecycle();
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
    void aRunOfEventsMovesEveryOrderOfItAndRecordsEachStep() {
        String first = place();
        String second = place();

        advance(OrderStatus.CONFIRMED, first, second);

        assertThat(status(first)).isEqualTo("CONFIRMED");
        assertThat(status(second)).isEqualTo("CONFIRMED");
        assertThat(history(first)).containsExactly("RECEIVED", "CONFIRMED");
        assertThat(history(second)).containsExactly("RECEIVED", "CONFIRMED");
    }

    @Test
    void anOrderTwiceInOneRunGetsOneStep() {
        String orderId = place();

        advance(OrderStatus.CONFIRMED, orderId, orderId);

        assertThat(status(orderId)).isEqualTo("CONFIRMED");
        assertThat(history(orderId)).containsExactly("RECEIVED", "CONFIRMED");
    }

    @Test
    void aStepArrivingAfterALaterOneGoesIntoTheHistoryAndTheOrderStaysWhereItIs() {
        String orderId = place();
        advance(OrderStatus.SHIPPED, orderId);

        advance(OrderStatus.PICKED_AND_PACKED, orderId);
        advance(OrderStatus.CONFIRMED, orderId);

        assertThat(status(orderId)).isEqualTo("SHIPPED");
        assertThat(history(orderId)).containsExactlyInAnyOrder("RECEIVED", "SHIPPED", "PICKED_AND_PACKED", "CONFIRMED");
    }

    @Test
    void oneRunMovesSomeOrdersAndRecordsTheLateStepOfOthers() {
        String behind = place();
        String ahead = place();
        advance(OrderStatus.SHIPPED, ahead);

        advance(OrderStatus.PICKED_AND_PACKED, behind, ahead);

        assertThat(status(behind)).isEqualTo("PICKED_AND_PACKED");
        assertThat(status(ahead)).isEqualTo("SHIPPED");
        assertThat(history(behind)).containsExactly("RECEIVED", "PICKED_AND_PACKED");
        assertThat(history(ahead)).containsExactlyInAnyOrder("RECEIVED", "SHIPPED", "PICKED_AND_PACKED");
    }

    @Test
    void aCancelledOrderIsNeitherMovedNorGivenALaterStep() {
        String orderId = place();
        advance(OrderStatus.CANCELLED, orderId);

        advance(OrderStatus.PICKED_AND_PACKED, orderId);

        assertThat(status(orderId)).isEqualTo("CANCELLED");
        assertThat(history(orderId)).containsExactly("RECEIVED", "CANCELLED");
    }

    @Test
    void anEventAboutAnOrderNotKnownYetCreatesItAtThatStatus() {
        String orderId = UUID.randomUUID().toString();

        advance(OrderStatus.CONFIRMED, orderId);

        assertThat(status(orderId)).isEqualTo("CONFIRMED");
        assertThat(history(orderId)).containsExactly("RECEIVED", "CONFIRMED");
    }

    /**
     * ChaosIT found a typed order SHIPPED after [RECEIVED, PICKED_AND_PACKED, SHIPPED]: its OrderConfirmed did not see
     * the order, whose OrderReceived another consumer committed a moment later, before the step looked again.
     */
    @Test
    void aStepMovesAnOrderItsOrderReceivedStoredJustAfterTheStepFirstLookedForIt() {
        String orderId = UUID.randomUUID().toString();
        OrderRepository racing = new OrderRepository() {
            private boolean stored;

            @Override
            Moves moveForward(Handle handle, OrderStatus status, List<Move> moves) {
                Moves outcome = super.moveForward(handle, status, moves);
                if (!stored) {
                    stored = true;
                    storeReceivedElsewhere(orderId);
                }
                return outcome;
            }
        };

        assertThat(advanceAlone(racing, OrderStatus.CONFIRMED, orderId)).isTrue();

        assertThat(status(orderId)).isEqualTo("CONFIRMED");
        assertThat(history(orderId)).containsExactly("RECEIVED", "CONFIRMED");
        assertThat(awaitingReceived(orderId)).as("its OrderReceived was applied").isFalse();
    }

    @Test
    void aStepDoesNotMarkAnOrderAsAwaitingItsOrderReceivedWhenThatCommittedJustBeforeTheStepStoredIt() {
        String orderId = UUID.randomUUID().toString();
        OrderRepository racing = new OrderRepository() {
            @Override
            Optional<OrderStatus> lockStatus(Handle handle, String id) {
                Optional<OrderStatus> status = super.lockStatus(handle, id);
                storeReceivedElsewhere(id); // after the lock found nothing, before the insert
                return status;
            }
        };

        assertThat(advanceAlone(racing, OrderStatus.CONFIRMED, orderId)).isTrue();

        assertThat(status(orderId)).isEqualTo("CONFIRMED");
        assertThat(history(orderId)).containsExactly("RECEIVED", "CONFIRMED");
        assertThat(awaitingReceived(orderId)).isFalse();
    }

    @Test
    void anOrderCreatedByALaterEventLearnsItsItemsOnceFromItsOrderReceived() {
        String orderId = UUID.randomUUID().toString();
        advance(OrderStatus.CONFIRMED, orderId);
        NewOrder received = new NewOrder(orderId, "customer", OrderStatus.RECEIVED,
                new BigDecimal("29.97"), "EUR", "KAFKA", List.of(new OrderView.Item("sku-1", "Mug", 2, new BigDecimal("9.99")),
                new OrderView.Item("sku-2", null, 1, null)), Instant.now(), "a-test");

        jdbi.useTransaction(handle -> new OrderRepository().insertItems(handle, received));
        jdbi.useTransaction(handle -> new OrderRepository().insertItems(handle, received)); // OrderReceived again

        List<String> items = jdbi.withHandle((Handle handle) -> handle.createQuery(
                        "SELECT line || ':' || product_id || ':' || quantity || ':' || coalesce(price::text, '-') FROM order_items "
                                + "WHERE order_id = :id ORDER BY line")
                .bind("id", orderId).mapTo(String.class).list());
        assertThat(items).containsExactly("1:sku-1:2:9.99", "2:sku-2:1:-");
    }

    @Test
    void anOrderReceivedAfterItsConfirmationGetsTheCustomersDataTellsTheCustomerOnceAndKeepsPipelineOrder() {
        String orderId = UUID.randomUUID().toString();
        List<LineItem> items = List.of(new LineItem("sku-1", "Mug", 3, new BigDecimal("9.99")));
        jdbi.useTransaction(handle -> service.advanceAll(new RecordingContext(handle), OrderStatus.CONFIRMED,
                List.of(new OrderService.Step(orderId, "customer", event(orderId), items)))); // as OrderConfirmed carries them
        // Typed into Kafka by hand, with a clock of its own: its time is later than the confirmation's.
        OrderReceived received = new OrderReceived(orderId, "customer", items, new BigDecimal("29.97"), "USD",
                Instant.now().plusSeconds(3600));
        IncomingEvent receivedEvent = new IncomingEvent(UUID.randomUUID().toString(), OrderReceived.TYPE, "kafka:OrderReceived",
                Instant.now(), Optional.empty(), Json.mapper().valueToTree(received), Optional.empty(), IncomingEvent.Envelope.BARE);
        List<OutgoingEvent> published = new ArrayList<>();

        for (int times = 0; times < 2; times++) { // the second time: typed in again
            jdbi.useTransaction(handle -> {
                RecordingContext context = new RecordingContext(handle);
                service.onReceived(received, receivedEvent, context);
                published.addAll(context.published());
            });
        }

        assertThat(published).extracting(OutgoingEvent::payload).singleElement()
                .isInstanceOfSatisfying(Notification.class, told -> assertThat(told.kind()).isEqualTo(Notification.Kind.ORDER_RECEIVED));
        OrderView order = jdbi.withHandle(handle -> new OrderViews().find(handle, orderId)).orElseThrow();
        assertThat(order.status()).isEqualTo("CONFIRMED");
        assertThat(order.total()).isEqualByComparingTo("29.97");
        assertThat(order.currency()).isEqualTo("USD");
        assertThat(order.items()).hasSize(1);
        assertThat(order.statusHistory()).extracting(OrderView.StatusChange::status).containsExactly("RECEIVED", "CONFIRMED");
        assertThat(order.statusHistory().get(0).changedBy()).isEqualTo("kafka:OrderReceived");
    }

    @Test
    void aStatusChangeOnTheWayIsAHotUpdate() {
        String orderId = place();

        long hotUpdates = jdbi.inTransaction(handle -> {
            service.advanceAll(new RecordingContext(handle), OrderStatus.CONFIRMED, steps(orderId));
            service.advanceAll(new RecordingContext(handle), OrderStatus.PICKED_AND_PACKED, steps(orderId));
            return handle.createQuery("SELECT pg_stat_get_xact_tuples_hot_updated('orders'::regclass)").mapTo(Long.class).one();
        });

        assertThat(hotUpdates).isEqualTo(2); // no index entry for either: the status is not indexed (V3)
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
        String confirmed = place();
        String shipped = place();
        for (int i = 0; i < 5; i++) {
            place(); // newer orders, still RECEIVED
        }
        advance(OrderStatus.CONFIRMED, confirmed, shipped);
        advance(OrderStatus.SHIPPED, shipped);

        assertThat(listed(OrderStatus.CONFIRMED)).contains(confirmed).doesNotContain(shipped);
        assertThat(listed(OrderStatus.SHIPPED)).contains(shipped).doesNotContain(confirmed);
        assertThat(listed(OrderStatus.RECEIVED)).doesNotContain(confirmed, shipped);
    }

    private List<String> listed(OrderStatus status) {
        return jdbi.withHandle((Handle handle) -> new OrderViews().list(handle, Optional.empty(), Optional.of(status), Optional.empty(), 100)).stream()
                .map(row -> row.summary().orderId()).toList();
    }

    private String place() {
        PlaceOrderRequest request = new PlaceOrderRequest("customer-" + UUID.randomUUID(), "EUR",
                List.of(new PlaceOrderRequest.Item("sku-1", "Mug", 1, new BigDecimal("9.99"))));
        return jdbi.inTransaction(handle -> service.place(handle, request)).orderId();
    }

    private void advance(OrderStatus status, String... orderIds) {
        jdbi.useTransaction(handle -> service.advanceAll(new RecordingContext(handle), status, steps(orderIds)));
    }

    private static List<OrderService.Step> steps(String... orderIds) {
        return List.of(orderIds).stream().map(orderId -> new OrderService.Step(orderId, "customer", event(orderId), List.of())).toList();
    }

    private static IncomingEvent event(String orderId) {
        return IncomingEvent.of(UUID.randomUUID().toString(), "StatusEvent", "a-test", Instant.now(), orderId,
                Json.mapper().createObjectNode().put("order_id", orderId));
    }

    /** {@link OrderService#advance} of one order's step, with {@code repository}, in a transaction of its own. */
    private boolean advanceAlone(OrderRepository repository, OrderStatus status, String orderId) {
        OrderService racingService = OrderDatabase.service(repository);
        return jdbi.inTransaction(handle -> racingService.advance(handle, orderId, "customer", status, event(orderId), null, List.of()));
    }

    /** The order, as svc-order's consumer of OrderReceived stores it: in its own transaction, committed. */
    private void storeReceivedElsewhere(String orderId) {
        jdbi.useTransaction(other -> new OrderRepository().insert(other, new NewOrder(orderId, "customer", OrderStatus.RECEIVED,
                new BigDecimal("9.99"), "EUR", "KAFKA", List.of(new OrderView.Item("sku-1", "Mug", 1, new BigDecimal("9.99"))),
                Instant.now().minusSeconds(1), "kafka:OrderReceived")));
    }

    private boolean awaitingReceived(String orderId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT awaiting_received FROM orders WHERE order_id = :id")
                .bind("id", orderId).mapTo(Boolean.class).one());
    }

    private String status(String orderId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT status FROM orders WHERE order_id = :id")
                .bind("id", orderId).mapTo(String.class).one());
    }

    private List<String> history(String orderId) {
        return jdbi.withHandle((Handle handle) -> handle.createQuery(
                        "SELECT status FROM order_status_history WHERE order_id = :id ORDER BY changed_at, ctid")
                .bind("id", orderId).mapTo(String.class).list());
    }
}
