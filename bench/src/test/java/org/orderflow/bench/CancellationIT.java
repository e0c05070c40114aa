package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderflow.bench.TestSystem.WAIT;
import static org.orderflow.bench.TestSystem.statuses;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.TestHttp;

/**
 * The saga's unhappy paths on the five real services: cancellations at every stage, pick failures, and a randomized
 * run that checks stock balances exactly afterwards. The warehouse takes 1.5 s to pack, so that an order can be
 * cancelled between confirmation and packing.
 */
class CancellationIT {
    private static final Set<String> FINAL = Set.of("SHIPPED", "REJECTED", "CANCELLED");
    private static TestSystem system;

    @BeforeAll
    static void startTheSystem() {
        system = new TestSystem(Map.of("warehouse", Map.of("PACKING_TIME", "1500ms")));
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @Test
    void cancelBeforeConfirmationEndsCancelledAndReservesNothing() {
        String product = newProduct(10);
        system.stop("inventory");
        String orderId;
        try {
            orderId = system.placedOrderId("cust-early", product, 2);
            assertThat(system.cancel(orderId).status()).isEqualTo(202);
            system.awaitStatus(orderId, "CANCELLED");
        } finally {
            system.start("inventory");
        }

        await().atMost(WAIT).during(Duration.ofSeconds(2)).until(() -> system.product(product).get("reserved").asInt() == 0);
        assertThat(system.product(product).get("on_hand").asInt()).isEqualTo(10);
        assertThat(system.order(orderId).at("/cancellation/outcome").asText()).isEqualTo("CANCELLED");
        assertThat(system.awaitNotifications(orderId, 2)).contains("ORDER_CANCELLED");
    }

    @Test
    void cancelAfterConfirmationStopsTheFulfilmentAndReleasesTheStock() {
        String product = newProduct(10);
        String orderId = system.placedOrderId("cust-mid", product, 3);
        system.awaitStatus(orderId, "CONFIRMED");
        assertThat(system.product(product).get("reserved").asInt()).isEqualTo(3);

        TestHttp.Response answer = system.cancel(orderId);

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body()).contains("\"outcome\":\"PENDING\"");
        JsonNode cancelled = system.awaitStatus(orderId, "CANCELLED");
        assertThat(statuses(cancelled)).doesNotContain("SHIPPED");
        await().atMost(WAIT).until(() -> system.product(product).get("reserved").asInt() == 0);
        assertThat(system.product(product).get("on_hand").asInt()).isEqualTo(10);
        await().atMost(WAIT).until(() -> TestHttp.get(system.port("warehouse"), "/fulfilments/" + orderId).body().contains("\"status\":\"CANCELLED\""));
        assertThat(TestHttp.get(system.port("shipper"), "/shipments/" + orderId).status()).isEqualTo(404);
    }

    @Test
    void cancelAfterPackingEndsEitherCancelledOrTooLateNeverBoth() {
        String product = newProduct(10);
        system.stop("shipper");
        String orderId;
        try {
            orderId = system.placedOrderId("cust-late", product, 1);
            system.awaitStatus(orderId, "PICKED_AND_PACKED");
            assertThat(system.cancel(orderId).status()).isEqualTo(202);
        } finally {
            system.start("shipper");
        }

        await().atMost(WAIT).until(() -> FINAL.contains(system.order(orderId).get("status").asText()));
        await().atMost(WAIT).until(() -> system.product(product).get("reserved").asInt() == 0);
        JsonNode order = system.order(orderId);
        boolean shipped = TestHttp.get(system.port("shipper"), "/shipments/" + orderId).status() == 200;
        if (order.get("status").asText().equals("CANCELLED")) {
            assertThat(shipped).isFalse();
            assertThat(system.product(product).get("on_hand").asInt()).isEqualTo(10);
        } else {
            assertThat(order.get("status").asText()).isEqualTo("SHIPPED");
            assertThat(shipped).isTrue();
            assertThat(system.awaitNotifications(orderId, 5)).contains("CANCELLATION_TOO_LATE");
            assertThat(system.product(product).get("on_hand").asInt()).isEqualTo(9);
        }
    }

    @Test
    void cancelAfterShippingIsRefused() {
        String orderId = system.placedOrderId("cust-shipped", newProduct(10), 1);
        system.awaitStatus(orderId, "SHIPPED");

        TestHttp.Response answer = system.cancel(orderId);

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(system.order(orderId).get("status").asText()).isEqualTo("SHIPPED");
    }

    @Test
    void pickFailureCancelsTheOrderReleasesTheStockAndTellsTheCustomer() {
        String product = newProduct(10);
        assertThat(TestHttp.put(system.port("warehouse"), "/damaged-products/" + product, "").status()).isEqualTo(204);

        String orderId = system.placedOrderId("cust-unlucky", product, 4);

        JsonNode cancelled = system.awaitStatus(orderId, "CANCELLED");
        assertThat(cancelled.get("status_history").findValuesAsText("reason").toString()).contains("PICK_FAILED");
        await().atMost(WAIT).until(() -> system.product(product).get("reserved").asInt() == 0);
        assertThat(system.product(product).get("on_hand").asInt()).isEqualTo(10);
        assertThat(system.awaitNotifications(orderId, 3)).contains("ORDER_CANCELLED");
    }

    /**
     * A few hundred orders, a random third of them cancelled at random moments while they flow (before, during and
     * after each stage), some for a product that fails every pick. Once all have settled: every order is in exactly
     * one final state, no cancelled order shipped, and for every product on hand = initial - shipped, reserved = 0.
     */
    @Test
    void randomCancellationsWhileOrdersFlowKeepStockBalanced() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, Integer> initial = Map.of(newProduct(40), 40, newProduct(80), 80, newProduct(1000), 1000, newProduct(1000), 1000);
        List<String> products = new ArrayList<>(initial.keySet());
        String damaged = products.get(3);
        TestHttp.put(system.port("warehouse"), "/damaged-products/" + damaged, "");
        Map<String, Integer> quantities = new HashMap<>();
        Map<String, String> productOf = new HashMap<>();
        ConcurrentLinkedQueue<String> cancelAnswers = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService canceller = Executors.newScheduledThreadPool(4);
        try {
            for (int i = 0; i < 200; i++) {
                String product = products.get(random.nextInt(products.size()));
                int quantity = 1 + random.nextInt(3);
                String orderId = system.placedOrderId("cust-random-" + seed, product, quantity);
                quantities.put(orderId, quantity);
                productOf.put(orderId, product);
                if (random.nextDouble() < 0.35) {
                    canceller.schedule(() -> cancelAnswers.add(system.cancel(orderId).status() + ""), random.nextInt(2500), TimeUnit.MILLISECONDS);
                }
            }
        } finally {
            canceller.shutdown();
            assertThat(canceller.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        Map<String, String> finalStatus = new HashMap<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (String orderId : quantities.keySet()) {
                finalStatus.computeIfAbsent(orderId, id -> {
                    String status = system.order(id).get("status").asText();
                    return FINAL.contains(status) ? status : null;
                });
            }
            return finalStatus.size() == quantities.size();
        });
        await().atMost(WAIT).until(() -> products.stream().allMatch(p -> system.product(p).get("reserved").asInt() == 0));

        assertThat(cancelAnswers).as("seed %d", seed).allMatch(status -> status.equals("202") || status.equals("200") || status.equals("409"));
        Map<String, Integer> shipped = new HashMap<>();
        for (Map.Entry<String, String> order : finalStatus.entrySet()) {
            boolean hasShipment = TestHttp.get(system.port("shipper"), "/shipments/" + order.getKey()).status() == 200;
            assertThat(hasShipment).as("order %s is %s (seed %d)", order.getKey(), order.getValue(), seed)
                    .isEqualTo(order.getValue().equals("SHIPPED"));
            if (order.getValue().equals("SHIPPED")) {
                shipped.merge(productOf.get(order.getKey()), quantities.get(order.getKey()), Integer::sum);
            }
        }
        for (String product : products) {
            JsonNode stock = system.product(product);
            assertThat(stock.get("on_hand").asInt()).as("on hand of %s (seed %d)", product, seed)
                    .isEqualTo(initial.get(product) - shipped.getOrDefault(product, 0));
            assertThat(stock.get("reserved").asInt()).as("reserved of %s (seed %d)", product, seed).isZero();
        }
        assertThat(shipped.getOrDefault(damaged, 0)).isZero();
        assertThat(finalStatus.values()).contains("SHIPPED", "CANCELLED");
    }

    private static String newProduct(int onHand) {
        String productId = "test-" + UUID.randomUUID();
        TestHttp.Response created = TestHttp.put(system.port("inventory"), "/products/" + productId,
                "{\"name\":\"Test product\",\"price\":19.99,\"on_hand\":" + onHand + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return productId;
    }
}
