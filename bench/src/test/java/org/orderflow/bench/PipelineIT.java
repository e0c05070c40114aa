package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderflow.bench.TestSystem.WAIT;
import static org.orderflow.bench.TestSystem.json;
import static org.orderflow.bench.TestSystem.statuses;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.TestHttp;
import org.orderflow.devstack.TestKafka.Received;
import org.orderflow.contract.Topics;
import org.orderflow.messaging.consumer.ConsumerSettings;
import org.orderflow.service.RunningService;
import org.orderflow.service.http.OpenApiDocument;

/** The five services in one JVM on the real Kafka and PostgreSQL: the cases of scripts/test-system.sh. */
class PipelineIT {
    private static TestSystem system;

    @BeforeAll
    static void startTheSystem() {
        system = new TestSystem(Map.of());
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @Test
    void orderPlacedOverHttpIsShippedAndTheCustomerToldAtEveryStep() {
        TestHttp.Response placed = system.placeOrder("cust-http", "prod-789", 2, Map.of());

        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        String orderId = json(placed.body()).get("order_id").asText();
        assertThat(placed.location()).isEqualTo("/orders/" + orderId);
        assertThat(json(placed.body()).get("total").decimalValue()).isEqualByComparingTo("39.98");
        JsonNode shipped = system.awaitStatus(orderId, "SHIPPED");
        assertThat(shipped.get("tracking_number").asText()).isNotBlank();
        assertThat(statuses(shipped)).containsExactly("RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED");
        JsonNode answered = json(placed.body()); // built without reading back: must match what GET shows
        assertThat(answered.get("items")).isEqualTo(shipped.get("items"));
        assertThat(answered.get("status_history")).containsExactly(shipped.get("status_history").get(0));
        assertThat(answered.get("created_at")).isEqualTo(shipped.get("created_at"));
        assertThat(system.awaitNotifications(orderId, 4)).containsExactly("ORDER_RECEIVED", "ORDER_CONFIRMED", "ORDER_PICKED_AND_PACKED", "ORDER_SHIPPED");
        assertThat(TestHttp.get(system.port("warehouse"), "/fulfilments/" + orderId).body()).contains("\"status\":\"PACKED\"");
        assertThat(TestHttp.get(system.port("shipper"), "/shipments/" + orderId).body()).contains(shipped.get("tracking_number").asText());
    }

    @Test
    void orderTypedIntoKafkaWithoutHeadersFlowsLikeOnePlacedOverHttp() {
        String orderId = "kafka-" + UUID.randomUUID();

        system.kafka.send(Topics.ORDER_RECEIVED, null, typedOrder(orderId, "prod-789", 2), Map.of());

        JsonNode shipped = system.awaitStatus(orderId, "SHIPPED");
        assertThat(shipped.get("customer_id").asText()).isEqualTo("cust-456");
        assertThat(shipped.get("items").get(0).get("name").asText()).isEqualTo("Test Product");
        assertThat(system.awaitNotifications(orderId, 4)).hasSize(4);
    }

    @Test
    void orderSentTwiceByHandIsReservedAndShippedOnce() {
        String orderId = "twice-" + UUID.randomUUID();
        int reservedBefore = json(TestHttp.get(system.port("inventory"), "/products/sku-cable").body()).get("on_hand").asInt();

        system.kafka.send(Topics.ORDER_RECEIVED, null, typedOrder(orderId, "sku-cable", 3), Map.of());
        system.kafka.send(Topics.ORDER_RECEIVED, null, typedOrder(orderId, "sku-cable", 3), Map.of());

        system.awaitStatus(orderId, "SHIPPED");
        await().atMost(WAIT).until(() -> json(TestHttp.get(system.port("inventory"), "/products/sku-cable").body()).get("on_hand").asInt() == reservedBefore - 3);
        assertThat(system.awaitNotifications(orderId, 4)).hasSize(4);
        assertThat(statuses(json(TestHttp.get(system.port("order"), "/orders/" + orderId).body()))).containsOnlyOnce("RECEIVED");
    }

    /**
     * svc-inventory, svc-warehouse and svc-shipper keep no inbox row for the events they pass on: their decisions,
     * fulfilments and shipments, keyed by the order, are their inbox. Each event delivered again, with its id, must
     * publish nothing and reserve nothing.
     */
    @Test
    void stageEventsDeliveredAgainWithTheirIdsAreAppliedOnce() {
        JsonNode before = system.product("sku-cable");
        String orderId = json(system.placeOrder("cust-again", "sku-cable", 2, Map.of()).body()).get("order_id").asText();
        system.awaitStatus(orderId, "SHIPPED");

        Map<String, String> consumerByTopic = Map.of(Topics.ORDER_RECEIVED, "svc-inventory", Topics.ORDER_CONFIRMED, "svc-warehouse",
                Topics.ORDER_PICKED_AND_PACKED, "svc-shipper", Topics.ORDER_SHIPPED, "svc-inventory" + ConsumerSettings.FOLLOW_UPS);
        consumerByTopic.forEach((topic, group) -> {
            Received original = system.kafka.read(topic, record -> orderId.equals(record.key()), 1, WAIT).get(0);
            system.kafka.send(topic, original.key(), original.value(), original.headers());
            Received again = system.kafka.read(topic, record -> orderId.equals(record.key()), 2, WAIT).get(1);
            await().atMost(WAIT).until(() -> system.kafka.committedOffset(group, topic, again.partition()) > again.offset());
        });

        for (String topic : List.of(Topics.ORDER_CONFIRMED, Topics.ORDER_PICKED_AND_PACKED, Topics.ORDER_SHIPPED)) {
            assertThat(system.kafka.read(topic, record -> orderId.equals(record.key()), 3, Duration.ofSeconds(2))).as(topic)
                    .hasSize(2); // the one published, and our copy
        }
        assertThat(system.awaitNotifications(orderId, 4)).hasSize(4);
        JsonNode after = system.product("sku-cable");
        assertThat(after.get("on_hand").asInt()).isEqualTo(before.get("on_hand").asInt() - 2);
        assertThat(after.get("reserved").asInt()).isEqualTo(before.get("reserved").asInt());
    }

    @Test
    void orderForMoreThanIsInStockIsRejectedWithTheReason() {
        TestHttp.Response placed = system.placeOrder("cust-greedy", "sku-limited", 10_000, Map.of());
        String orderId = json(placed.body()).get("order_id").asText();

        JsonNode rejected = system.awaitStatus(orderId, "REJECTED");
        assertThat(rejected.get("status_history").get(1).get("reason").asText()).contains("sku-limited: OUT_OF_STOCK");
        assertThat(system.awaitNotifications(orderId, 2)).containsExactly("ORDER_RECEIVED", "ORDER_REJECTED");
    }

    @Test
    void orderForAnUnknownProductIsRejected() {
        String orderId = json(system.placeOrder("cust-lost", "sku-does-not-exist", 1, Map.of()).body()).get("order_id").asText();

        JsonNode rejected = system.awaitStatus(orderId, "REJECTED");
        assertThat(rejected.get("status_history").get(1).get("reason").asText()).contains("UNKNOWN_PRODUCT");
    }

    @Test
    void malformedMessageGoesToTheDeadLetterQueueAndTheNextOrderFlows() {
        String marker = "garbage-" + UUID.randomUUID();
        system.kafka.send(Topics.ORDER_RECEIVED, "bad", "{\"this is\": not json " + marker, Map.of());
        String orderId = "after-garbage-" + UUID.randomUUID();
        system.kafka.send(Topics.ORDER_RECEIVED, "bad", typedOrder(orderId, "prod-789", 1), Map.of());

        List<Received> deadLetters = system.kafka.read(Topics.DEAD_LETTER_QUEUE, record -> record.value().contains(marker), 2, WAIT);
        assertThat(deadLetters).extracting(d -> d.headers().get("dlq_service")).containsExactlyInAnyOrder("svc-order", "svc-inventory");
        assertThat(deadLetters).allSatisfy(d -> assertThat(d.headers()).containsEntry("dlq_original_topic", Topics.ORDER_RECEIVED));
        system.awaitStatus(orderId, "SHIPPED");
    }

    @Test
    void retryWithTheSameIdempotencyKeyGetsTheSameOrderAndAnotherBodyIsRefused() {
        String key = UUID.randomUUID().toString();

        TestHttp.Response first = system.placeOrder("cust-retry", "sku-mouse", 1, Map.of("Idempotency-Key", key));
        TestHttp.Response retry = system.placeOrder("cust-retry", "sku-mouse", 1, Map.of("Idempotency-Key", key));
        TestHttp.Response otherBody = system.placeOrder("cust-retry", "sku-mouse", 2, Map.of("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(json(retry.body()).get("order_id")).isEqualTo(json(first.body()).get("order_id"));
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.contentType()).startsWith("application/problem+json");
    }

    @Test
    void invalidOrderIsA400NamingEachFieldAndUnknownOrderA404() {
        TestHttp.Response invalid = TestHttp.post(system.port("order"), "/orders",
                "{\"customer_id\":\"\",\"currency\":\"XXQ\",\"items\":[{\"product_id\":\"p\",\"quantity\":0,\"price\":-1}]}", Map.of());
        TestHttp.Response unknown = TestHttp.get(system.port("order"), "/orders/no-such-order");

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.contentType()).startsWith("application/problem+json");
        assertThat(json(invalid.body()).findValuesAsText("field"))
                .containsExactlyInAnyOrder("customer_id", "currency", "items[0].quantity", "items[0].price");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        TestHttp.Response fractional = TestHttp.post(system.port("order"), "/orders",
                "{\"customer_id\":\"c\",\"currency\":\"EUR\",\"items\":[{\"product_id\":\"p\",\"quantity\":2.5,\"price\":1}]}", Map.of());
        assertThat(fractional.status()).isEqualTo(400);
        assertThat(json(fractional.body()).findValuesAsText("field")).containsExactly("items[0].quantity");
    }

    @Test
    void ordersCanBeListedPageByPage() {
        String customer = "cust-pages-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            system.placeOrder(customer, "sku-mouse", 1, Map.of());
        }

        JsonNode first = json(TestHttp.get(system.port("order"), "/orders?customer_id=" + customer + "&limit=2").body());
        JsonNode second = json(TestHttp.get(system.port("order"), "/orders?customer_id=" + customer + "&limit=2&cursor="
                + first.get("next_cursor").asText()).body());

        assertThat(first.get("orders")).hasSize(2);
        assertThat(second.get("orders")).hasSize(1);
        assertThat(second.get("next_cursor").isNull()).isTrue();
        assertThat(TestHttp.get(system.port("order"), "/orders?status=LOST").status()).isEqualTo(400);
    }

    @Test
    void eachServiceDocumentsExactlyTheRoutesItServes() {
        for (RunningService service : system.services()) {
            JsonNode document = json(TestHttp.get(service.port(), "/openapi.json").body());
            List<String> documented = new ArrayList<>();
            document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                    .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
            String name = document.at("/info/title").asText();
            assertThat(documented).as(name).containsExactlyInAnyOrderElementsOf(service.operations());
            assertThat(OpenApiDocument.operations(name)).as(name).containsExactlyInAnyOrderElementsOf(service.operations());
        }
    }

    /** The payload of the README's kafka-console-producer example. */
    private static String typedOrder(String orderId, String product, int quantity) {
        return "{\"order_id\":\"" + orderId + "\",\"customer_id\":\"cust-456\",\"items\":[{\"product_id\":\"" + product
                + "\",\"name\":\"Test Product\",\"quantity\":" + quantity + ",\"price\":19.99}],\"total\":39.98,\"timestamp\":\"2026-11-23T10:00:00Z\"}";
    }
}
