package org.orderflow.order.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.order.idempotency.IdempotentRequests;
import org.orderflow.order.idempotency.IdempotentRequests.Claim;
import org.orderflow.order.idempotency.IdempotentRequests.Response;
import org.orderflow.service.Lifecycle;
import org.orderflow.service.http.ProblemException;

class IdempotentPlacementIT {
    private static final String BODY = """
            {"customer_id":"%s","currency":"EUR","items":[{"product_id":"sku-1","quantity":1,"price":9.99}]}""";

    private final Lifecycle lifecycle = new Lifecycle();
    private final OrderService service = OrderDatabase.service();
    private Jdbi jdbi;
    private OrderWriter writer;

    @BeforeEach
    void setUp() {
        jdbi = OrderDatabase.open(lifecycle);
        writer = new OrderWriter(jdbi, service, 4, 100);
    }

    @AfterEach
    void tearDown() {
        lifecycle.close();
    }

    @Test
    void concurrentRequestsWithOneKeyStoreOneOrderAndAllGetIt() {
        ExecutorService clients = Executors.newFixedThreadPool(20);
        List<CompletableFuture<Response>> answers = IntStream.range(0, 20)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> place("concurrent", "key-concurrent"), clients)).toList();

        List<Response> placed = answers.stream().map(CompletableFuture::join).toList();
        clients.shutdown();

        assertThat(placed).extracting(Response::status).containsOnly(201);
        assertThat(placed).extracting(Response::location).containsOnly(placed.get(0).location());
        assertThat(placed).filteredOn(response -> !response.replay()).hasSize(1);
        assertThat(ordersOf("concurrent")).isEqualTo(1);
    }

    @Test
    void retryWhileTheFirstRequestIsStillBeingWrittenIsA409AndLaterGetsItsAnswer() {
        Claim claim = IdempotentRequests.claimOf("key-open", BODY.formatted("open"));
        try (Handle first = jdbi.open()) {
            first.begin();
            assertThat(IdempotentRequests.claimAll(first, List.of(claim))).containsExactly("key-open");

            assertThatThrownBy(() -> place("open", "key-open")).isInstanceOfSatisfying(ProblemException.class,
                    refused -> assertThat(refused.problem().status()).isEqualTo(409));

            IdempotentRequests.storeAll(first, Map.of("key-open", new Response(201, "{\"order_id\":\"first\"}", "/orders/first", false)));
            first.commit();
        }
        Response retried = place("open", "key-open");

        assertThat(retried.replay()).isTrue();
        assertThat(retried.location()).isEqualTo("/orders/first");
        assertThat(ordersOf("open")).isZero(); // the first request's order is its own business; the retry placed none
    }

    @Test
    void sameKeyWithAnotherBodyIsRefusedWith422() {
        place("body-a", "key-body");

        assertThatThrownBy(() -> place("body-b", "key-body")).isInstanceOfSatisfying(ProblemException.class,
                refused -> assertThat(refused.problem().status()).isEqualTo(422));
        assertThat(ordersOf("body-b")).isZero();
    }

    @Test
    void claimLeftInFlightByTheEarlierProtocolIsTakenOverOnceAbandoned() {
        jdbi.useHandle(handle -> handle.execute("""
                INSERT INTO idempotency_keys (idempotency_key, fingerprint, state, owner, created_at)
                VALUES ('key-legacy', 'whatever', 'IN_FLIGHT', 'a request that died', now() - interval '2 minutes')"""));

        Response placed = place("legacy", "key-legacy");

        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.replay()).isFalse();
        assertThat(ordersOf("legacy")).isEqualTo(1);
        assertThat(place("legacy", "key-legacy").location()).isEqualTo(placed.location());
    }

    private Response place(String customer, String key) {
        PlaceOrderRequest request = new PlaceOrderRequest(customer, "EUR",
                List.of(new PlaceOrderRequest.Item("sku-1", null, 1, new BigDecimal("9.99"))));
        return writer.place(request, Optional.of(IdempotentRequests.claimOf(key, BODY.formatted(customer))));
    }

    private long ordersOf(String customer) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM orders WHERE customer_id = :customer")
                .bind("customer", customer).mapTo(Long.class).one());
    }
}
