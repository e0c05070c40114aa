package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderflow.bench.TestSystem.WAIT;
import static org.orderflow.bench.TestSystem.json;
import static org.orderflow.bench.TestSystem.statuses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.TestHttp;
import org.orderflow.messaging.Json;
import org.orderflow.contract.Topics;

/** Self-protection, through the five services on the real Kafka and PostgreSQL: bounded input, parked rows, honest /ready, arrival order. */
class SelfProtectionIT {
    /** The outbox relay's advisory lock (lib-outbox's RelayLeadership). */
    private static final long RELAY_LOCK = 0x6f72_6465_7266_6c6fL;
    private static TestSystem system;

    @BeforeAll
    static void startTheSystem() {
        system = new TestSystem(Map.of("order", Map.of("OUTBOX_STALL_AFTER", "3s")));
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @Test
    void overLongOrMalformedInputIsA400NamingTheFieldNeverA500() {
        String nul = "\\u0000";
        Map<String, String> invalidOrders = Map.of(
                "customer_id", order("a" + nul + "b", "sku-mouse", "Mouse"),
                "items[0].product_id", order("cust", "sku" + nul, "Mouse"),
                "items[0].name", order("cust", "sku-mouse", "x".repeat(201)),
                "body", "null");
        invalidOrders.forEach((field, body) -> {
            TestHttp.Response response = TestHttp.post(system.port("order"), "/orders", body, Map.of());
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(json(response.body()).findValuesAsText("field")).as(body).contains(field);
        });
        assertThat(TestHttp.get(system.port("order"), "/orders/a%00b").status()).isEqualTo(400);
        assertThat(TestHttp.get(system.port("order"), "/orders?customer_id=" + "c".repeat(201)).status()).isEqualTo(400);
        TestHttp.Response longName = TestHttp.put(system.port("inventory"), "/products/sku-long",
                "{\"name\":\"" + "n".repeat(201) + "\",\"price\":1,\"on_hand\":1}");
        assertThat(longName.status()).isEqualTo(400);
        assertThat(json(longName.body()).findValuesAsText("field")).containsExactly("name");
        assertThat(TestHttp.post(system.port("order"), "/orders/x/cancel", "{\"reason\":\"" + nul + "\"}", Map.of()).status())
                .isEqualTo(400);
    }

    /** 100 lines, the longest ids and names (3 bytes a character in UTF-8), the largest quantities and prices. */
    @Test
    void theLargestValidOrderShipsThroughTheWholePipeline() {
        List<String> products = IntStream.range(0, 100).mapToObj(i -> String.format("%03d", i) + "-" + "p".repeat(96)).toList();
        String name = "€".repeat(200);
        for (String product : products) {
            TestHttp.Response put = TestHttp.put(system.port("inventory"), "/products/" + product,
                    "{\"name\":\"" + name + "\",\"price\":999999.99,\"on_hand\":10000}");
            assertThat(put.status()).as(put.body()).isIn(200, 201);
        }
        ObjectNode order = Json.mapper().createObjectNode().put("customer_id", "c".repeat(100)).put("currency", "EUR");
        ArrayNode items = order.putArray("items");
        products.forEach(product -> items.addObject().put("product_id", product).put("name", name).put("quantity", 10_000)
                .put("price", new BigDecimal("999999.99")));

        TestHttp.Response placed = TestHttp.post(system.port("order"), "/orders", order.toString(), Map.of());

        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        assertThat(json(placed.body()).get("total").decimalValue()).isEqualByComparingTo("999999990000.00");
        String orderId = json(placed.body()).get("order_id").asText();
        assertThat(statuses(system.awaitStatus(orderId, "SHIPPED"))).containsExactly("RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED");
        assertThat(system.awaitNotifications(orderId, 4)).hasSize(4);
        assertThat(system.product(products.get(99)).get("on_hand").asInt()).isZero();
    }

    @Test
    void aRowKafkaRefusesIsParkedAndTheNextOrderShips() {
        Jdbi orders = database("order");
        orders.useHandle(handle -> handle.execute("INSERT INTO outbox (topic, message_key, payload) VALUES (?, 'too-large', ?)",
                Topics.NOTIFICATION, new byte[2 * 1024 * 1024])); // over the producer's max.request.size

        String orderId = system.placedOrderId("cust-after-parked", "sku-mouse", 1);

        system.awaitStatus(orderId, "SHIPPED");
        long parked = orders.withHandle(handle -> handle.createQuery("SELECT count(*) FROM outbox_parked WHERE message_key = 'too-large'")
                .mapTo(Long.class).one());
        assertThat(parked).isEqualTo(1);
        assertThat(TestHttp.get(system.port("order"), "/ready").status()).isEqualTo(200);
    }

    @Test
    void readinessFailsWhileTheOutboxStallsAndRecoversAfter() {
        Jdbi orders = database("order");
        try (Handle foreignRelay = orders.open()) { // holds the relay lock, as a stuck instance would
            // The service's relay holds the lock: end its session, and take the lock before it reconnects.
            await().atMost(WAIT).until(() -> foreignRelay.createQuery("""
                            SELECT pg_terminate_backend(pid) FROM pg_locks
                            WHERE locktype = 'advisory' AND granted AND objid = ? AND pid <> pg_backend_pid()
                              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")
                    .bind(0, RELAY_LOCK & 0xffff_ffffL).mapTo(Boolean.class).list() != null
                    && foreignRelay.createQuery("SELECT pg_try_advisory_lock(?)").bind(0, RELAY_LOCK).mapTo(Boolean.class).one());
            String orderId = system.placedOrderId("cust-stalled", "sku-mouse", 1);

            await().atMost(WAIT).until(() -> TestHttp.get(system.port("order"), "/ready").status() == 503);
            TestHttp.Response notReady = TestHttp.get(system.port("order"), "/ready");
            assertThat(notReady.contentType()).startsWith("application/problem+json");
            assertThat(json(notReady.body()).findValuesAsText("field")).containsExactly("outbox");
            assertThat(notReady.body()).contains("outbox stalled");

            foreignRelay.createQuery("SELECT pg_advisory_unlock(?)").bind(0, RELAY_LOCK).mapTo(Boolean.class).one();
            system.awaitStatus(orderId, "SHIPPED");
        }
        await().atMost(WAIT).until(() -> TestHttp.get(system.port("order"), "/ready").status() == 200);
    }

    /**
     * Orders typed into Kafka without key or headers travel on other partitions than their later events, so a
     * service may see a later event first: the outcome must not depend on it.
     */
    @Test
    void ordersTypedIntoKafkaWithoutKeyAmongHttpOrdersEachGetEveryNotificationOnceAndTheirHistoryInOrder() throws Exception {
        TestHttp.put(system.port("inventory"), "/products/sku-mixed", "{\"name\":\"Mixed\",\"price\":1,\"on_hand\":1000000}");
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> typed = IntStream.range(0, 300).mapToObj(i -> "typed-" + run + "-" + i).toList();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<CompletableFuture<String>> overHttp = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                overHttp.add(CompletableFuture.supplyAsync(() -> system.placedOrderId("cust-mixed", "sku-mixed", 1), clients));
            }
            system.kafka.sendAll(Topics.ORDER_RECEIVED, typed.stream().map(orderId -> typedOrder(orderId, "sku-mixed")).toList());
            List<String> orderIds = new ArrayList<>(typed);
            for (CompletableFuture<String> placed : overHttp) {
                orderIds.add(placed.get());
            }

            Jdbi orders = database("order");
            Jdbi notifications = database("notification");
            await().atMost(WAIT).until(() -> count(orders, "SELECT count(*) FROM orders WHERE status = 'SHIPPED' AND order_id = ANY (?)",
                    orderIds) == orderIds.size());
            // Every notification once: four kinds an order, none twice, and no more come.
            String toldOnce = "SELECT count(DISTINCT (order_id, kind)) FROM notifications WHERE order_id = ANY (?)";
            await().atMost(WAIT).until(() -> count(notifications, toldOnce, orderIds) == 4L * orderIds.size());
            assertThat(count(notifications, "SELECT count(*) FROM notifications WHERE order_id = ANY (?)", orderIds))
                    .isEqualTo(4L * orderIds.size());
            for (String orderId : orderIds) {
                JsonNode order = system.order(orderId);
                assertThat(statuses(order)).as(orderId).containsExactly("RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED");
                if (typed.contains(orderId)) {
                    assertThat(order.get("customer_id").asText()).isEqualTo("cust-typed");
                    assertThat(order.get("status_history").get(0).get("changed_by").asText()).as(orderId).isEqualTo("kafka:OrderReceived");
                }
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * The arrival order forced: svc-order is down while typed orders (from a producer whose clock is an hour ahead)
     * pass through the rest of the pipeline; restarted, it finds their later events first.
     */
    @Test
    void orderTypedIntoKafkaWhoseLaterEventsReachSvcOrderFirstEndsTheSameAndTellsTheCustomerOnce() {
        TestHttp.put(system.port("inventory"), "/products/sku-late", "{\"name\":\"Late\",\"price\":1,\"on_hand\":1000000}");
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> typed = IntStream.range(0, 50).mapToObj(i -> "late-" + run + "-" + i).toList();
        system.stop("order");
        try {
            system.kafka.sendAll(Topics.ORDER_RECEIVED, typed.stream().map(orderId -> typedOrder(orderId, "sku-late")).toList(),
                    Duration.ofHours(1));
            system.kafka.read(Topics.ORDER_SHIPPED, record -> typed.contains(record.key()), typed.size(), WAIT);
        } finally {
            system.start("order");
        }

        Jdbi notifications = database("notification");
        await().atMost(WAIT).until(() -> count(notifications, "SELECT count(DISTINCT (order_id, kind)) FROM notifications WHERE order_id = ANY (?)",
                typed) == 4L * typed.size());
        for (String orderId : typed) {
            JsonNode order = system.awaitStatus(orderId, "SHIPPED");
            assertThat(statuses(order)).as(orderId).containsExactly("RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED");
            assertThat(order.get("status_history").get(0).get("changed_by").asText()).as(orderId).isEqualTo("kafka:OrderReceived");
            assertThat(order.get("total").decimalValue()).isEqualByComparingTo("2.00");
        }
        assertThat(count(notifications, "SELECT count(*) FROM notifications WHERE order_id = ANY (?)", typed)).isEqualTo(4L * typed.size());
    }

    private static String typedOrder(String orderId, String product) {
        return "{\"order_id\":\"" + orderId + "\",\"customer_id\":\"cust-typed\",\"items\":[{\"product_id\":\"" + product
                + "\",\"name\":\"Typed\",\"quantity\":2,\"price\":1}],\"total\":2,\"timestamp\":\"2026-11-23T10:00:00Z\"}";
    }

    private static String order(String customer, String product, String name) {
        return "{\"customer_id\":\"" + customer + "\",\"currency\":\"EUR\",\"items\":[{\"product_id\":\"" + product
                + "\",\"name\":\"" + name + "\",\"quantity\":1,\"price\":1}]}";
    }

    private static long count(Jdbi database, String sql, List<String> orderIds) {
        return database.withHandle(handle -> handle.createQuery(sql).bind(0, orderIds.toArray(String[]::new)).mapTo(Long.class).one());
    }

    private static Jdbi database(String service) {
        Map<String, String> environment = system.environment(service);
        return Jdbi.create(environment.get("DB_URL"), environment.get("DB_USER"), environment.get("DB_PASSWORD"));
    }
}
