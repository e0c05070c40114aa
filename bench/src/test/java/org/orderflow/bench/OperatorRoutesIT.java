package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderflow.bench.TestSystem.WAIT;
import static org.orderflow.bench.TestSystem.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.Topics;
import org.orderflow.devstack.TestHttp;
import org.orderflow.devstack.TestTokens;

/**
 * The operators' HTTP routes behind the operations page, on the five services over real Kafka and PostgreSQL: each
 * instance's status gathered by svc-order, another service's parked rows through svc-order, the dead letters, the stuck
 * orders; customers refused.
 */
class OperatorRoutesIT {
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
    void theOverviewShowsEveryInstanceAndOneThatIsDownAsSuch() {
        system.stop("shipper");
        try {
            JsonNode instances = json(get("/ops/overview").body()).get("instances");

            assertThat(instances.valueStream().map(instance -> instance.get("service").asText())).containsExactly("svc-order", "svc-inventory", "svc-warehouse", "svc-shipper",
                    "svc-notification");
            JsonNode order = instances.get(0).get("status");
            assertThat(order.get("ready").asBoolean()).isTrue();
            assertThat(order.get("checks").get("database").asText()).isEqualTo("UP");
            assertThat(order.get("outbox").get("relay_active").asBoolean()).isTrue();
            assertThat(instances.get(3).has("status")).isFalse();
            assertThat(instances.get(3).get("error").asText()).startsWith("no answer");
        } finally {
            system.start("shipper");
        }
    }

    @Test
    void anotherServicesParkedRowIsListedRetriedAndDroppedThroughSvcOrder() {
        Jdbi inventory = database("inventory");
        String key = "http-too-large-" + UUID.randomUUID();
        inventory.useHandle(handle -> handle.execute("INSERT INTO outbox (topic, message_key, payload) VALUES (?, ?, ?)",
                Topics.NOTIFICATION, key, new byte[2 * 1024 * 1024]));
        long id = await().atMost(WAIT).until(() -> parkedId(key), found -> found > 0);

        assertThat(send("POST", "/ops/outbox/svc-inventory/parked/" + id + "/retry").status()).isEqualTo(200);
        long again = await().atMost(WAIT).until(() -> parkedId(key), found -> found > id); // refused again, parked under a new id
        assertThat(send("DELETE", "/ops/outbox/svc-inventory/parked/" + again).status()).isEqualTo(204);

        assertThat(parkedId(key)).isZero();
        assertThat(send("DELETE", "/ops/outbox/svc-inventory/parked/" + again).status()).isEqualTo(404);
        assertThat(send("DELETE", "/ops/outbox/svc-inventory/parked/twelve").status()).isEqualTo(400);
        assertThat(get("/ops/outbox/svc-nowhere/parked").status()).isEqualTo(404);
        TestHttp.Response customer = TestHttp.get(port(), "/ops/outbox/svc-inventory/parked", customer());
        assertThat(customer.status()).isEqualTo(403);
        assertThat(customer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aDeadLetterIsListedShownAndReplayedToItsTopic() {
        String key = "poison-" + UUID.randomUUID();
        system.kafka.sendRaw(new ProducerRecord<>(Topics.ORDER_RECEIVED, key.getBytes(StandardCharsets.UTF_8),
                "{\"not\": \"an order\"".getBytes(StandardCharsets.UTF_8)));
        JsonNode listed = await().atMost(WAIT).until(() -> deadLetterOfSvcOrder(key), found -> found != null);

        JsonNode shown = json(get("/admin/dead-letters/" + listed.get("id").asText()).body());
        assertThat(shown.get("payload").asText()).isEqualTo("{\"not\": \"an order\"");
        assertThat(shown.get("from").asText()).startsWith("OrderReceived-");
        assertThat(shown.get("context").get("dlq_service").asText()).isEqualTo("svc-order");
        JsonNode replayed = json(send("POST", "/admin/dead-letters/" + listed.get("id").asText() + "/replay").body());
        assertThat(replayed.get("topic").asText()).isEqualTo(Topics.ORDER_RECEIVED);
        assertThat(system.kafka.read(Topics.ORDER_RECEIVED, record -> key.equals(record.key()), 2, WAIT)).hasSize(2);

        assertThat(get("/admin/dead-letters/0@999999999").status()).isEqualTo(404);
        assertThat(get("/admin/dead-letters/nonsense").status()).isEqualTo(400);
        assertThat(get("/admin/dead-letters?limit=0").status()).isEqualTo(400);
        assertThat(TestHttp.get(port(), "/admin/dead-letters", customer()).status()).isEqualTo(403);
    }

    @Test
    void anOrderWaitingForAStoppedServiceIsAStuckOrderWaitingForIt() {
        system.stop("warehouse");
        try {
            String orderId = system.placedOrderId("cust-stuck-http", "sku-mouse", 1);
            system.awaitStatus(orderId, "CONFIRMED");

            JsonNode stuck = await().atMost(WAIT).until(() -> json(get("/admin/stuck-orders?older_than_seconds=1&limit=500").body()),
                    report -> report.get("listed").findValuesAsText("order_id").contains(orderId));
            JsonNode order = java.util.stream.StreamSupport.stream(stuck.get("listed").spliterator(), false)
                    .filter(o -> o.get("order_id").asText().equals(orderId)).findFirst().orElseThrow();
            assertThat(order.get("status").asText()).isEqualTo("CONFIRMED");
            assertThat(order.get("waiting_for").asText()).isEqualTo("svc-warehouse (pick and pack)");
            assertThat(stuck.get("by_status").findValuesAsText("status")).contains("CONFIRMED");
        } finally {
            system.start("warehouse");
        }
        assertThat(get("/admin/stuck-orders?older_than_seconds=soon").status()).isEqualTo(400);
    }

    private static JsonNode deadLetterOfSvcOrder(String key) {
        for (JsonNode deadLetter : json(get("/admin/dead-letters?limit=100").body()).get("dead_letters")) {
            if (deadLetter.get("key").asText().equals(key) && deadLetter.get("service").asText().equals("svc-order")) {
                return deadLetter;
            }
        }
        return null;
    }

    private static long parkedId(String key) {
        return database("inventory").withHandle(handle -> handle.createQuery("SELECT coalesce(max(id), 0) FROM outbox_parked WHERE message_key = :key")
                .bind("key", key).mapTo(Long.class).one());
    }

    private static TestHttp.Response get(String path) {
        return TestHttp.get(port(), path);
    }

    private static TestHttp.Response send(String method, String path) {
        return TestHttp.send(port(), method, path, "", "Bearer " + TestTokens.operator());
    }

    private static Map<String, String> customer() {
        return Map.of("Authorization", "Bearer " + TestTokens.customer("cust-nosy"));
    }

    private static int port() {
        return system.port("order");
    }

    private static Jdbi database(String service) {
        Map<String, String> environment = system.environment(service);
        return Jdbi.create(environment.get("DB_URL"), environment.get("DB_USER"), environment.get("DB_PASSWORD"));
    }
}
