package org.orderflow.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestHttp;
import org.orderflow.devstack.TestKafka;
import org.orderflow.messaging.Json;
import org.orderflow.contract.Topics;
import org.orderflow.service.RunningService;

/** The five services in this JVM on the real Kafka and PostgreSQL, each on a random port with a fresh database. */
final class TestSystem implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, BiFunction<Map<String, String>, Clock, RunningService>> MAINS = new LinkedHashMap<>();

    static {
        MAINS.put("order", org.orderflow.order.Main::start);
        MAINS.put("inventory", org.orderflow.inventory.Main::start);
        MAINS.put("warehouse", org.orderflow.warehouse.Main::start);
        MAINS.put("shipper", org.orderflow.shipper.Main::start);
        MAINS.put("notification", org.orderflow.notification.Main::start);
    }

    /** Starts one service, as its {@code Main} does, with {@code environment}. */
    static RunningService startAlone(String name, Map<String, String> environment, Clock clock) {
        return MAINS.get(name).apply(environment, clock);
    }

    final TestKafka kafka;
    private final Map<String, Map<String, String>> environments = new HashMap<>();
    private final Map<String, RunningService> running = new LinkedHashMap<>();

    /** @param extraSettings per service name ("warehouse"), settings added to its environment */
    TestSystem(Map<String, Map<String, String>> extraSettings) {
        this(RealServers.shared().kafkaBootstrapServers(), extraSettings);
    }

    /**
     * @param plaintextBootstrapServers where the topics are made and the tests read them: a PLAINTEXT listener of the
     *                                  cluster the services use (their KAFKA_* settings may name another one)
     */
    TestSystem(String plaintextBootstrapServers, Map<String, Map<String, String>> extraSettings) {
        RealServers servers = RealServers.shared();
        kafka = new TestKafka(plaintextBootstrapServers);
        kafka.createTopics(Topics.ALL, 3);
        // Ports chosen before any service starts: svc-order's pages reach the others at them (SERVICE_URLS), and a
        // service started again listens where it did.
        Map<String, Integer> ports = new LinkedHashMap<>();
        MAINS.keySet().forEach(name -> ports.put(name, freePort()));
        String serviceUrls = ports.entrySet().stream().map(e -> "svc-" + e.getKey() + "=http://localhost:" + e.getValue())
                .collect(java.util.stream.Collectors.joining(","));
        MAINS.keySet().forEach(name -> {
            Map<String, String> environment = new HashMap<>(servers.serviceEnvironment(name));
            environment.put("HTTP_PORT", Integer.toString(ports.get(name)));
            environment.put("SERVICE_URLS", serviceUrls);
            environment.putAll(extraSettings.getOrDefault(name, Map.of()));
            environments.put(name, environment);
            start(name);
        });
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The environment the service runs with: its database's DB_URL, DB_USER, DB_PASSWORD among it. */
    Map<String, String> environment(String name) {
        return environments.get(name);
    }

    RunningService service(String name) {
        return running.get(name);
    }

    List<RunningService> services() {
        return List.copyOf(running.values());
    }

    /** Starts the service again on its database, as a restarted process would. */
    void start(String name) {
        running.put(name, MAINS.get(name).apply(environments.get(name), Clock.systemUTC()));
    }

    void stop(String name) {
        running.remove(name).close();
    }

    @Override
    public void close() {
        running.values().forEach(RunningService::close);
        running.clear();
    }

    TestHttp.Response placeOrder(String customer, String product, int quantity, Map<String, String> headers) {
        String body = "{\"customer_id\":\"" + customer + "\",\"currency\":\"EUR\",\"items\":[{\"product_id\":\"" + product
                + "\",\"name\":\"Test Product\",\"quantity\":" + quantity + ",\"price\":19.99}]}";
        return TestHttp.post(port("order"), "/orders", body, headers);
    }

    String placedOrderId(String customer, String product, int quantity) {
        return json(placeOrder(customer, product, quantity, Map.of()).body()).get("order_id").asText();
    }

    TestHttp.Response cancel(String orderId) {
        return TestHttp.post(port("order"), "/orders/" + orderId + "/cancel", "{\"reason\":\"changed my mind\"}", Map.of());
    }

    JsonNode order(String orderId) {
        return json(TestHttp.get(port("order"), "/orders/" + orderId).body());
    }

    JsonNode awaitStatus(String orderId, String status) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            TestHttp.Response response = TestHttp.get(port("order"), "/orders/" + orderId);
            return response.status() == 200 && json(response.body()).get("status").asText().equals(status);
        });
        return order(orderId);
    }

    List<String> awaitNotifications(String orderId, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> notifications(orderId).size() >= count);
        return notifications(orderId);
    }

    List<String> notifications(String orderId) {
        return json(TestHttp.get(port("notification"), "/notifications?order_id=" + orderId).body()).get("notifications").findValuesAsText("kind");
    }

    JsonNode product(String productId) {
        return json(TestHttp.get(port("inventory"), "/products/" + productId).body());
    }

    int port(String name) {
        return running.get(name).port();
    }

    static List<String> statuses(JsonNode order) {
        return order.get("status_history").findValuesAsText("status");
    }

    static JsonNode json(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + body, e);
        }
    }
}
