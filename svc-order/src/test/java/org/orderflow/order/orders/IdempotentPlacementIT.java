package org.orderflow.order.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.order.idempotency.IdempotentRequests;
import org.orderflow.service.Lifecycle;
import org.orderflow.service.http.ProblemException;

class IdempotentPlacementIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BODY = """
            {"customer_id":"taken-over","currency":"EUR","items":[{"product_id":"sku-1","quantity":1,"price":9.99}]}""";

    private final Lifecycle lifecycle = new Lifecycle();
    private final OrderService service = OrderDatabase.service();
    private Jdbi jdbi;

    @BeforeEach
    void setUp() {
        jdbi = OrderDatabase.open(lifecycle);
    }

    @AfterEach
    void tearDown() {
        lifecycle.close();
    }

    @Test
    void requestTakenOverAfterItStalledCannotCommitASecondOrder() throws Exception {
        IdempotentRequests idempotency = new IdempotentRequests(jdbi, Duration.ofMillis(300));
        CountDownLatch firstPlacedItsOrder = new CountDownLatch(1);
        CountDownLatch firstMayGoOn = new CountDownLatch(1);
        CompletableFuture<IdempotentRequests.Response> first = CompletableFuture.supplyAsync(() -> idempotency.execute("key-1", BODY,
                handle -> {
                    IdempotentRequests.Response response = placeIn(handle);
                    firstPlacedItsOrder.countDown();
                    await().atMost(WAIT).until(() -> firstMayGoOn.await(0, TimeUnit.MILLISECONDS)); // the stall
                    return response;
                }));
        assertThat(firstPlacedItsOrder.await(30, TimeUnit.SECONDS)).isTrue();

        // A retry is refused (409) while the claim is young, then takes it over.
        IdempotentRequests.Response second = await().atMost(WAIT).ignoreExceptionsInstanceOf(ProblemException.class)
                .until(() -> idempotency.execute("key-1", BODY, this::placeIn), response -> true);
        firstMayGoOn.countDown();

        assertThatThrownBy(first::join).hasCauseInstanceOf(ProblemException.class).hasMessageContaining("taken over");
        long stored = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM orders WHERE customer_id = 'taken-over'")
                .mapTo(Long.class).one());
        assertThat(stored).isEqualTo(1);
        assertThat(idempotency.execute("key-1", BODY, this::placeIn)).satisfies(replayed -> {
            assertThat(replayed.replay()).isTrue();
            assertThat(replayed.location()).isEqualTo(second.location());
        });
    }

    private IdempotentRequests.Response placeIn(org.jdbi.v3.core.Handle handle) {
        OrderView placed = service.place(handle, new PlaceOrderRequest("taken-over", "EUR",
                List.of(new PlaceOrderRequest.Item("sku-1", null, 1, new BigDecimal("9.99")))));
        return IdempotentRequests.Response.json(201, placed, "/orders/" + placed.orderId());
    }
}
