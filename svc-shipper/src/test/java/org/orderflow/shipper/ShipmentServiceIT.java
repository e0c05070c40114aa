package org.orderflow.shipper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.Notification;
import org.orderflow.contract.events.OrderCancellationRequested;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderPickedAndPacked;
import org.orderflow.contract.events.OrderShipped;
import org.orderflow.devstack.ManualClock;
import org.orderflow.devstack.TestKafka.Received;
import org.orderflow.service.testing.ServiceFixture;

/** svc-shipper as it runs, on the real servers, with a clock the test sets: shipping, and cancelling before it. */
class ShipmentServiceIT {
    private static final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:15:30Z"));
    private static ServiceFixture shipper;

    @BeforeAll
    static void start() {
        shipper = ServiceFixture.start("shipper", Map.of(), clock, Main::start);
    }

    @AfterAll
    static void stop() {
        shipper.close();
    }

    @Test
    void aPackedOrderShipsWithACarrierATrackingNumberAndADeliveryDateFromTheClock() {
        String orderId = pack(UUID.randomUUID().toString());

        JsonNode shipped = ServiceFixture.parse(shipper.read(Topics.ORDER_SHIPPED, orderId, 1).get(0).value());

        String carrier = shipped.path("carrier").asText();
        String trackingNumber = shipped.path("tracking_number").asText();
        assertThat(carrier).isIn("DHL", "UPS", "FedEx", "PostNL");
        assertThat(trackingNumber).matches(carrier.toUpperCase(Locale.ROOT) + "-[A-Z2-9]{16}");
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        assertThat(LocalDate.parse(shipped.path("estimated_delivery").asText())).isBetween(today.plusDays(2), today.plusDays(4));
        assertThat(shipper.read(Topics.NOTIFICATION, orderId, 1).get(0).value()).contains("ORDER_SHIPPED", trackingNumber);
        JsonNode shipment = shipper.get("/shipments/" + orderId);
        assertThat(shipment.path("tracking_number").asText()).isEqualTo(trackingNumber);
        assertThat(Instant.parse(shipment.path("shipped_at").asText())).isEqualTo(clock.instant());
    }

    @Test
    void aCancellationRequestedBeforeShippingCancelsTheOrderAndItIsNeverShipped() {
        String orderId = UUID.randomUUID().toString();
        requestCancellation(orderId);

        Received cancelled = shipper.read(Topics.ORDER_CANCELLED, orderId, OrderCancelled.TYPE, 1).get(0);
        assertThat(cancelled.value()).contains("\"reason\":\"CUSTOMER_REQUEST\"", "\"cancelled_by\":\"customer-1\"");
        assertThat(shipper.read(Topics.NOTIFICATION, orderId, 1).get(0).value()).contains("ORDER_CANCELLED");

        pack(orderId); // packed after all: the warehouse had not heard yet
        String marker = pack(UUID.randomUUID().toString());

        assertThat(shipper.read(Topics.ORDER_SHIPPED, marker, 1)).as("applied past the cancelled order").hasSize(1);
        assertThat(shipper.readAlreadyThere(Topics.ORDER_SHIPPED, orderId, OrderShipped.TYPE, 1)).isEmpty();
        assertThat(shipper.status("/shipments/" + orderId)).isEqualTo(404);
    }

    @Test
    void aCancellationRequestedAfterShippingIsTooLateAndCancelsNothing() {
        String orderId = pack(UUID.randomUUID().toString());
        assertThat(shipper.read(Topics.ORDER_SHIPPED, orderId, 1)).hasSize(1);

        requestCancellation(orderId);
        String marker = UUID.randomUUID().toString();
        requestCancellation(marker);

        assertThat(shipper.read(Topics.ORDER_CANCELLED, marker, OrderCancelled.TYPE, 1)).as("applied past the shipped order").hasSize(1);
        assertThat(shipper.readAlreadyThere(Topics.NOTIFICATION, orderId, Notification.TYPE, 2)).extracting(Received::value)
                .anySatisfy(value -> assertThat(value).contains("CANCELLATION_TOO_LATE"));
        assertThat(shipper.readAlreadyThere(Topics.ORDER_CANCELLED, orderId, OrderCancelled.TYPE, 1)).isEmpty();
    }

    private static String pack(String orderId) {
        shipper.publish(Topics.ORDER_PICKED_AND_PACKED, orderId, OrderPickedAndPacked.TYPE, new OrderPickedAndPacked(orderId,
                "customer-1", List.of(new LineItem("mug", "Mug", 1, new BigDecimal("9.99"))), clock.instant()));
        return orderId;
    }

    private static void requestCancellation(String orderId) {
        shipper.publish(Topics.ORDER_CANCELLED, orderId, OrderCancellationRequested.TYPE,
                new OrderCancellationRequested(orderId, "customer-1", "CUSTOMER_REQUEST", "customer-1", clock.instant()));
    }
}
