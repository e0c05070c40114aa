package org.orderflow.shipper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.OrderCancellationRequested;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderPickedAndPacked;
import org.orderflow.devstack.ManualClock;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestHttp;
import org.orderflow.devstack.TestKafka;
import org.orderflow.devstack.TestKafka.Received;
import org.orderflow.messaging.Json;
import org.orderflow.service.RunningService;

/** svc-shipper as it runs, on the real servers, with a clock the test sets: shipping, and cancelling before it. */
class ShipmentServiceIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:15:30Z"));
    private static TestKafka kafka;
    private static RunningService service;

    @BeforeAll
    static void start() {
        RealServers servers = RealServers.shared();
        kafka = new TestKafka(servers.kafkaBootstrapServers());
        kafka.createTopics(Topics.ALL, 1); // one partition: what is read after an order's event was applied after it
        service = Main.start(servers.serviceEnvironment("shipper"), clock);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aPackedOrderShipsWithACarrierATrackingNumberAndADeliveryDateFromTheClock() {
        String orderId = pack();

        Received shipped = kafka.read(Topics.ORDER_SHIPPED, ofOrder(orderId), 1, WAIT).get(0);

        JsonNode event = parse(shipped.value());
        String carrier = event.path("carrier").asText();
        assertThat(carrier).isIn("DHL", "UPS", "FedEx", "PostNL");
        assertThat(event.path("tracking_number").asText()).matches(carrier.toUpperCase() + "-[A-Z2-9]{16}");
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        assertThat(LocalDate.parse(event.path("estimated_delivery").asText())).isBetween(today.plusDays(2), today.plusDays(4));
        assertThat(kafka.read(Topics.NOTIFICATION, ofOrder(orderId), 1, WAIT).get(0).value())
                .contains("ORDER_SHIPPED", event.path("tracking_number").asText());
        JsonNode shipment = parse(TestHttp.get(service.port(), "/shipments/" + orderId).body());
        assertThat(shipment.path("tracking_number").asText()).isEqualTo(event.path("tracking_number").asText());
        assertThat(Instant.parse(shipment.path("shipped_at").asText())).isEqualTo(clock.instant());
    }

    @Test
    void aCancellationRequestedBeforeShippingCancelsTheOrderAndItIsNeverShipped() {
        String orderId = UUID.randomUUID().toString();
        requestCancellation(orderId);

        Received cancelled = kafka.read(Topics.ORDER_CANCELLED, ofOrder(orderId).and(ofType(OrderCancelled.TYPE)), 1, WAIT).get(0);
        assertThat(cancelled.value()).contains("\"reason\":\"CUSTOMER_REQUEST\"", "\"cancelled_by\":\"customer-1\"");
        assertThat(kafka.read(Topics.NOTIFICATION, ofOrder(orderId), 1, WAIT).get(0).value()).contains("ORDER_CANCELLED");

        pack(orderId); // packed after all: the warehouse had not heard yet
        String marker = pack();

        assertThat(kafka.read(Topics.ORDER_SHIPPED, ofOrder(marker), 1, WAIT)).as("applied past the cancelled order").hasSize(1);
        assertThat(kafka.read(Topics.ORDER_SHIPPED, ofOrder(orderId), 1, Duration.ofSeconds(1))).isEmpty();
        assertThat(TestHttp.get(service.port(), "/shipments/" + orderId).status()).isEqualTo(404);
    }

    @Test
    void aCancellationRequestedAfterShippingIsTooLateAndCancelsNothing() {
        String orderId = pack();
        assertThat(kafka.read(Topics.ORDER_SHIPPED, ofOrder(orderId), 1, WAIT)).hasSize(1);

        requestCancellation(orderId);

        List<Received> notifications = kafka.read(Topics.NOTIFICATION, ofOrder(orderId), 2, WAIT);
        assertThat(notifications).extracting(Received::value).anySatisfy(value -> assertThat(value).contains("CANCELLATION_TOO_LATE"));
        String marker = UUID.randomUUID().toString();
        requestCancellation(marker);
        assertThat(kafka.read(Topics.ORDER_CANCELLED, ofOrder(marker).and(ofType(OrderCancelled.TYPE)), 1, WAIT)).hasSize(1);
        assertThat(kafka.read(Topics.ORDER_CANCELLED, ofOrder(orderId).and(ofType(OrderCancelled.TYPE)), 1, Duration.ofSeconds(1)))
                .isEmpty();
    }

    private static String pack() {
        return pack(UUID.randomUUID().toString());
    }

    private static String pack(String orderId) {
        kafka.sendEvent(Topics.ORDER_PICKED_AND_PACKED, orderId, OrderPickedAndPacked.TYPE, json(new OrderPickedAndPacked(orderId,
                "customer-1", List.of(new LineItem("mug", "Mug", 1, new BigDecimal("9.99"))), clock.instant())));
        return orderId;
    }

    private static void requestCancellation(String orderId) {
        kafka.sendEvent(Topics.ORDER_CANCELLED, orderId, OrderCancellationRequested.TYPE, json(
                new OrderCancellationRequested(orderId, "customer-1", "CUSTOMER_REQUEST", "customer-1", clock.instant())));
    }

    private static Predicate<Received> ofOrder(String orderId) {
        return record -> orderId.equals(record.key());
    }

    private static Predicate<Received> ofType(String type) {
        return record -> type.equals(record.headers().get("ce_type"));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object event) {
        try {
            return Json.mapper().writeValueAsString(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
