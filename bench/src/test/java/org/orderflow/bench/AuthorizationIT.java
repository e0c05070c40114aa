package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderflow.bench.TestSystem.json;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.SigningKey;
import org.orderflow.devstack.TestHttp;
import org.orderflow.devstack.TestTokens;

/**
 * Who may do what, over real HTTP on the five services: no token or an untrusted one is 401 with RFC 6750's challenge;
 * a customer places, reads, lists and cancels its own orders only (another's is 404, so ids cannot be probed), and
 * reads its own notifications only; only an
 * operator changes stock, marks damaged products or reads fulfilments and shipments. Probes stay open.
 */
class AuthorizationIT {
    private static final String ORDER = "{\"currency\":\"EUR\",\"items\":[{\"product_id\":\"prod-789\",\"name\":\"Test Product\",\"quantity\":1,\"price\":19.99}]}";
    private static TestSystem system;

    @BeforeAll
    static void startTheSystem() {
        system = new TestSystem(ObservabilityIT.SERVICES.stream().collect(Collectors.toMap(Function.identity(), name -> Map.of())));
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @Test
    void noTokenOrAnUntrustedOneIsRefusedWithAChallengeWhileProbesStayOpen() {
        SigningKey stranger = SigningKey.generate(Clock.systemUTC());
        String expired = TestTokens.key().sign(TestTokens.key().claims("cust-a", Duration.ofHours(1))
                .expirationTime(new java.util.Date(System.currentTimeMillis() - 600_000)).build());
        String otherIssuer = TestTokens.key().sign(TestTokens.key().claims("cust-a", Duration.ofHours(1)).issuer("https://elsewhere").build());
        String otherAudience = TestTokens.key().sign(TestTokens.key().claims("cust-a", Duration.ofHours(1)).audience("another-api").build());

        TestHttp.Response none = get("order", "/orders", "");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"orderflow\"");
        assertThat(none.contentType()).startsWith("application/problem+json");
        for (String token : java.util.List.of(stranger.customerToken("cust-a", Duration.ofHours(1)), expired, otherIssuer, otherAudience,
                "not.a.jwt")) {
            TestHttp.Response refused = get("order", "/orders", "Bearer " + token);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        }
        for (String service : ObservabilityIT.SERVICES) {
            assertThat(get(service, "/health", "").status()).isEqualTo(200);
            assertThat(get(service, "/metrics", "").status()).isEqualTo(200);
        }
    }

    @Test
    void aCustomerPlacesReadsListsAndCancelsItsOwnOrdersOnly() {
        String alice = "Bearer " + TestTokens.customer("cust-alice");
        String bob = "Bearer " + TestTokens.customer("cust-bob");

        TestHttp.Response placed = TestHttp.post(system.port("order"), "/orders", ORDER, Map.of("Authorization", alice));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        String orderId = json(placed.body()).get("order_id").asText();
        TestHttp.Response forBob = TestHttp.post(system.port("order"), "/orders",
                ORDER.replace("{\"currency\"", "{\"customer_id\":\"cust-bob\",\"currency\""), Map.of("Authorization", alice));

        assertThat(forBob.status()).isEqualTo(403);
        assertThat(json(get("order", "/orders/" + orderId, alice).body()).get("customer_id").asText()).isEqualTo("cust-alice");
        assertThat(get("order", "/orders/" + orderId, bob).status()).as("another's order is not found").isEqualTo(404);
        assertThat(get("order", "/orders", bob).body()).doesNotContain(orderId);
        assertThat(get("order", "/orders", alice).body()).contains(orderId);
        assertThat(get("order", "/orders?customer_id=cust-alice", bob).status()).isEqualTo(403);
        assertThat(TestHttp.post(system.port("order"), "/orders/" + orderId + "/cancel", "", Map.of("Authorization", bob)).status()).isEqualTo(404);
        assertThat(get("order", "/orders?customer_id=cust-alice", "").status()).isEqualTo(401);
        assertThat(get("order", "/orders?customer_id=cust-alice", "Bearer " + TestTokens.operator()).body()).contains(orderId);
    }

    @Test
    void aCustomerReadsItsOwnNotificationsOnly() {
        String dave = "Bearer " + TestTokens.customer("cust-dave");
        String erin = "Bearer " + TestTokens.customer("cust-erin");
        TestHttp.Response placed = TestHttp.post(system.port("order"), "/orders", ORDER, Map.of("Authorization", dave));
        String orderId = json(placed.body()).get("order_id").asText();
        system.awaitNotifications(orderId, 4);

        assertThat(json(get("notification", "/notifications?order_id=" + orderId, dave).body()).get("notifications")).hasSize(4);
        assertThat(json(get("notification", "/notifications", dave).body()).get("notifications")).hasSize(4);
        assertThat(json(get("notification", "/notifications?order_id=" + orderId, erin).body()).get("notifications"))
                .as("another's order shows none").isEmpty();
        assertThat(get("notification", "/notifications?customer_id=cust-dave", erin).status()).isEqualTo(403);
        assertThat(get("notification", "/notifications?customer_id=cust-dave", "").status()).isEqualTo(401);
    }

    @Test
    void onlyAnOperatorChangesStockMarksDamagedProductsAndReadsFulfilmentsAndShipments() {
        String customer = "Bearer " + TestTokens.customer("cust-carol");
        String stock = "{\"name\":\"Test Product\",\"price\":19.99,\"stock\":1000}";

        assertThat(TestHttp.send(system.port("inventory"), "PUT", "/products/prod-789", stock, customer).status()).isEqualTo(403);
        assertThat(TestHttp.send(system.port("warehouse"), "PUT", "/damaged-products/prod-789", "", customer).status()).isEqualTo(403);
        assertThat(get("warehouse", "/damaged-products", customer).status()).isEqualTo(403);
        assertThat(get("shipper", "/shipments/some-order", customer).status()).isEqualTo(403);
        assertThat(get("inventory", "/products/prod-789", customer).status()).as("the catalogue is for everyone signed in").isEqualTo(200);
        assertThat(get("warehouse", "/damaged-products", "Bearer " + TestTokens.operator()).status()).isEqualTo(200);
    }

    private static TestHttp.Response get(String service, String path, String authorization) {
        return TestHttp.get(system.port(service), path, Map.of("Authorization", authorization));
    }
}
