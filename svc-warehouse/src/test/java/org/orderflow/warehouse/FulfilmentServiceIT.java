package org.orderflow.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderflow.service.testing.ServiceFixture.WAIT;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.Notification;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderConfirmed;
import org.orderflow.contract.events.OrderPickedAndPacked;
import org.orderflow.devstack.ManualClock;
import org.orderflow.devstack.TestKafka.Received;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.service.testing.ServiceFixture;

/** svc-warehouse as it runs, on the real servers, with a clock the test moves: what it does with confirmed orders. */
class FulfilmentServiceIT {
    private static final Duration PACKING_TIME = Duration.ofMinutes(10);
    private static final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private static ServiceFixture warehouse;

    @BeforeAll
    static void start() {
        warehouse = ServiceFixture.start("warehouse", Map.of("PACKING_TIME", PACKING_TIME.toMinutes() + "m"), clock, Main::start);
    }

    @AfterAll
    static void stop() {
        warehouse.close();
    }

    @Test
    void aConfirmedOrderIsPickedAndPackedOnceItsPackingTimeHasPassed() {
        String orderId = confirm("mug");
        awaitStatus(orderId, "PICKING");

        clock.advance(PACKING_TIME);

        Received packed = warehouse.read(Topics.ORDER_PICKED_AND_PACKED, orderId, 1).get(0);
        assertThat(packed.value()).contains("\"customer_id\":\"customer-1\"", "\"product_id\":\"mug\"");
        assertThat(warehouse.read(Topics.NOTIFICATION, orderId, 1).get(0).value()).contains("ORDER_PICKED_AND_PACKED");
        assertThat(fulfilment(orderId, "status")).isEqualTo("PACKED");
        assertThat(Instant.parse(fulfilment(orderId, "packed_at"))).isEqualTo(clock.instant());
    }

    @Test
    void packingAfterItsTimeContinuesTheTraceOfTheConfirmation() {
        String orderId = UUID.randomUUID().toString();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        warehouse.publishInTrace(Topics.ORDER_CONFIRMED, orderId, OrderConfirmed.TYPE, "00-" + traceId + "-00f067aa0ba902b7-01",
                confirmation(orderId, "mug"));
        awaitStatus(orderId, "PICKING");

        clock.advance(PACKING_TIME);

        assertThat(warehouse.read(Topics.ORDER_PICKED_AND_PACKED, orderId, 1).get(0).headers().get(EventHeaders.TRACEPARENT))
                .as("published by the packing timer, in the order's trace").startsWith("00-" + traceId + "-");
        assertThat(warehouse.read(Topics.NOTIFICATION, orderId, 1).get(0).headers().get(EventHeaders.TRACEPARENT)).startsWith("00-" + traceId + "-");
    }

    @Test
    void anOrderOfADamagedProductIsCancelledAndItsCustomerToldWhy() {
        assertThat(warehouse.put("/damaged-products/cracked-vase", "").status()).isEqualTo(204);

        String orderId = confirm("cracked-vase");

        Received cancelled = warehouse.read(Topics.ORDER_CANCELLED, orderId, OrderCancelled.TYPE, 1).get(0);
        assertThat(cancelled.value()).contains("\"reason\":\"PICK_FAILED\"", "\"cancelled_by\":\"svc-warehouse\"");
        assertThat(warehouse.read(Topics.NOTIFICATION, orderId, 1).get(0).value()).contains("ORDER_CANCELLED", "damaged on the shelf: cracked-vase");
        assertThat(fulfilment(orderId, "status")).isEqualTo("FAILED");
    }

    @Test
    void anOrderCancelledWhileItIsPickedIsNeverPacked() {
        String cancelledOrder = confirm("lamp");
        awaitStatus(cancelledOrder, "PICKING");
        warehouse.publish(Topics.ORDER_CANCELLED, cancelledOrder, OrderCancelled.TYPE,
                new OrderCancelled(cancelledOrder, "customer-1", "CUSTOMER_REQUEST", "customer-1", clock.instant()));
        awaitStatus(cancelledOrder, "CANCELLED");
        String laterOrder = confirm("lamp");
        awaitStatus(laterOrder, "PICKING");

        clock.advance(PACKING_TIME);

        assertThat(warehouse.read(Topics.ORDER_PICKED_AND_PACKED, laterOrder, 1)).as("the packer has been past both").hasSize(1);
        assertThat(warehouse.readAlreadyThere(Topics.ORDER_PICKED_AND_PACKED, cancelledOrder, OrderPickedAndPacked.TYPE, 1)).isEmpty();
        assertThat(fulfilment(cancelledOrder, "status")).isEqualTo("CANCELLED");
    }

    @Test
    void aConfirmationDeliveredTwiceIsPickedOnce() {
        String orderId = UUID.randomUUID().toString();
        OrderConfirmed confirmation = confirmation(orderId, "mug");
        warehouse.publish(Topics.ORDER_CONFIRMED, orderId, OrderConfirmed.TYPE, "confirmation-" + orderId, confirmation);
        warehouse.publish(Topics.ORDER_CONFIRMED, orderId, OrderConfirmed.TYPE, "confirmation-" + orderId, confirmation);
        String marker = confirm("mug"); // after both on the one partition
        awaitStatus(marker, "PICKING");

        clock.advance(PACKING_TIME);

        assertThat(warehouse.read(Topics.ORDER_PICKED_AND_PACKED, marker, 1)).hasSize(1);
        assertThat(warehouse.readAlreadyThere(Topics.ORDER_PICKED_AND_PACKED, orderId, OrderPickedAndPacked.TYPE, 2)).hasSize(1);
        assertThat(warehouse.readAlreadyThere(Topics.NOTIFICATION, orderId, Notification.TYPE, 2)).hasSize(1);
    }

    /** Sends an OrderConfirmed of one unit of {@code product} for a new order; returns the order's id. */
    private static String confirm(String product) {
        String orderId = UUID.randomUUID().toString();
        warehouse.publish(Topics.ORDER_CONFIRMED, orderId, OrderConfirmed.TYPE, confirmation(orderId, product));
        return orderId;
    }

    private static OrderConfirmed confirmation(String orderId, String product) {
        return new OrderConfirmed(orderId, "customer-1", List.of(new LineItem(product, "A " + product, 1, new BigDecimal("9.99"))),
                new BigDecimal("9.99"), clock.instant());
    }

    private static void awaitStatus(String orderId, String status) {
        await().atMost(WAIT).until(() -> status.equals(fulfilment(orderId, "status")));
    }

    private static String fulfilment(String orderId, String field) {
        return warehouse.get("/fulfilments/" + orderId).path(field).asText();
    }
}
