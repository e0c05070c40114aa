package org.orderflow.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderConfirmed;
import org.orderflow.devstack.ManualClock;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestHttp;
import org.orderflow.devstack.TestKafka;
import org.orderflow.devstack.TestKafka.Received;
import org.orderflow.messaging.Json;
import org.orderflow.service.RunningService;

/** svc-warehouse as it runs, on the real servers, with a clock the test moves: what it does with confirmed orders. */
class FulfilmentServiceIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration PACKING_TIME = Duration.ofMinutes(10);
    private static final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private static TestKafka kafka;
    private static RunningService service;

    @BeforeAll
    static void start() {
        RealServers servers = RealServers.shared();
        kafka = new TestKafka(servers.kafkaBootstrapServers());
        kafka.createTopics(Topics.ALL, 1); // one partition: what is read after an order's event was applied after it
        Map<String, String> environment = new HashMap<>(servers.serviceEnvironment("warehouse"));
        environment.put("PACKING_TIME", PACKING_TIME.toMinutes() + "m");
        service = Main.start(environment, clock);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aConfirmedOrderIsPickedAndPackedOnceItsPackingTimeHasPassed() {
        String orderId = confirm("mug");
        await().atMost(WAIT).until(() -> "PICKING".equals(fulfilment(orderId).path("status").asText()));

        clock.advance(PACKING_TIME);

        Received packed = kafka.read(Topics.ORDER_PICKED_AND_PACKED, ofOrder(orderId), 1, WAIT).get(0);
        assertThat(packed.value()).contains("\"customer_id\":\"customer-1\"", "\"product_id\":\"mug\"");
        assertThat(notifications(orderId, 1).get(0).value()).contains("ORDER_PICKED_AND_PACKED");
        JsonNode fulfilment = fulfilment(orderId);
        assertThat(fulfilment.path("status").asText()).isEqualTo("PACKED");
        assertThat(Instant.parse(fulfilment.path("packed_at").asText())).isEqualTo(clock.instant());
    }

    @Test
    void anOrderOfADamagedProductIsCancelledAndItsCustomerToldWhy() {
        assertThat(TestHttp.put(service.port(), "/damaged-products/cracked-vase", "").status()).isEqualTo(204);

        String orderId = confirm("cracked-vase");

        Received cancelled = kafka.read(Topics.ORDER_CANCELLED, ofOrder(orderId), 1, WAIT).get(0);
        assertThat(cancelled.value()).contains("\"reason\":\"PICK_FAILED\"", "\"cancelled_by\":\"svc-warehouse\"");
        assertThat(notifications(orderId, 1).get(0).value()).contains("ORDER_CANCELLED", "damaged on the shelf: cracked-vase");
        assertThat(fulfilment(orderId).path("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void anOrderCancelledWhileItIsPickedIsNeverPacked() {
        String cancelledOrder = confirm("lamp");
        await().atMost(WAIT).until(() -> "PICKING".equals(fulfilment(cancelledOrder).path("status").asText()));
        kafka.sendEvent(Topics.ORDER_CANCELLED, cancelledOrder, OrderCancelled.TYPE, json(
                new OrderCancelled(cancelledOrder, "customer-1", "CUSTOMER_REQUEST", "customer-1", clock.instant())));
        await().atMost(WAIT).until(() -> "CANCELLED".equals(fulfilment(cancelledOrder).path("status").asText()));
        String laterOrder = confirm("lamp");
        await().atMost(WAIT).until(() -> "PICKING".equals(fulfilment(laterOrder).path("status").asText()));

        clock.advance(PACKING_TIME);

        assertThat(kafka.read(Topics.ORDER_PICKED_AND_PACKED, ofOrder(laterOrder), 1, WAIT)).as("the packer has been past both").hasSize(1);
        assertThat(kafka.read(Topics.ORDER_PICKED_AND_PACKED, ofOrder(cancelledOrder), 1, Duration.ofSeconds(1))).isEmpty();
        assertThat(fulfilment(cancelledOrder).path("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aConfirmationDeliveredTwiceIsPickedOnce() {
        String orderId = UUID.randomUUID().toString();
        String confirmation = json(new OrderConfirmed(orderId, "customer-1", List.of(new LineItem("mug", "Mug", 1, new BigDecimal("9.99"))),
                new BigDecimal("9.99"), clock.instant()));
        kafka.send(Topics.ORDER_CONFIRMED, orderId, confirmation, Map.of("ce_id", "confirmation-" + orderId, "ce_type", OrderConfirmed.TYPE));
        kafka.send(Topics.ORDER_CONFIRMED, orderId, confirmation, Map.of("ce_id", "confirmation-" + orderId, "ce_type", OrderConfirmed.TYPE));
        String marker = confirm("mug"); // after both on the one partition
        await().atMost(WAIT).until(() -> "PICKING".equals(fulfilment(marker).path("status").asText()));

        clock.advance(PACKING_TIME);

        assertThat(kafka.read(Topics.ORDER_PICKED_AND_PACKED, ofOrder(marker), 1, WAIT)).hasSize(1);
        assertThat(kafka.read(Topics.ORDER_PICKED_AND_PACKED, ofOrder(orderId), 2, Duration.ofSeconds(1))).hasSize(1);
    }

    /** Sends an OrderConfirmed of one unit of {@code product} for a new order; returns the order's id. */
    private static String confirm(String product) {
        String orderId = UUID.randomUUID().toString();
        kafka.sendEvent(Topics.ORDER_CONFIRMED, orderId, OrderConfirmed.TYPE, json(new OrderConfirmed(orderId, "customer-1",
                List.of(new LineItem(product, "A " + product, 1, new BigDecimal("9.99"))), new BigDecimal("9.99"), clock.instant())));
        return orderId;
    }

    /** The fulfilment as GET shows it; an empty object while there is none. */
    private static JsonNode fulfilment(String orderId) {
        TestHttp.Response response = TestHttp.get(service.port(), "/fulfilments/" + orderId);
        try {
            return response.status() == 200 ? Json.mapper().readTree(response.body()) : Json.mapper().createObjectNode();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Received> notifications(String orderId, int count) {
        return kafka.read(Topics.NOTIFICATION, ofOrder(orderId), count, WAIT);
    }

    private static java.util.function.Predicate<Received> ofOrder(String orderId) {
        return record -> orderId.equals(record.key());
    }

    private static String json(Object event) {
        try {
            return Json.mapper().writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
