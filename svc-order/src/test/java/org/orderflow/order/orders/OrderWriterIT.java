package org.orderflow.order.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.RealServers;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.outbox.Outbox;
import org.orderflow.service.Infrastructure;
import org.orderflow.service.Lifecycle;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.Env;
import org.orderflow.service.http.ProblemException;

class OrderWriterIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Lifecycle lifecycle = new Lifecycle();
    private final ExecutorService clients = Executors.newCachedThreadPool(); // each waits for its answer, like a request thread
    private Jdbi jdbi;
    private OrderWriter writer;

    @BeforeEach
    void setUp() {
        CommonConfig config = CommonConfig.fromEnv(Env.of(RealServers.shared().serviceEnvironment("order")), "svc-order", 0, "order");
        jdbi = Infrastructure.open(config, lifecycle, "db/migration/order").jdbi();
        OrderService service = new OrderService(new OrderRepository(), new EventPublisher("svc-order", Outbox.create(), Clock.systemUTC()),
                Clock.systemUTC());
        writer = new OrderWriter(jdbi, service, 2, 18);
    }

    @AfterEach
    void tearDown() {
        lifecycle.close();
        clients.shutdownNow();
    }

    @Test
    void ordersQueuedWhileOthersAreWrittenShareOneTransaction() throws Exception {
        List<CompletableFuture<OrderView>> answers = new ArrayList<>();
        try (Handle blocker = jdbi.open()) {
            blocker.begin();
            blocker.execute("LOCK TABLE orders IN EXCLUSIVE MODE");
            blockBothWriters(answers);
            for (int i = 0; i < 18; i++) {
                answers.add(placeAsync("queued-" + i));
            }
            await().atMost(WAIT).until(() -> writer.queued() == 18);
            blocker.rollback();
        }

        List<String> orderIds = answers.stream().map(CompletableFuture::join).map(OrderView::orderId).toList();
        try (Handle handle = jdbi.open()) {
            assertThat(count(handle, "SELECT count(DISTINCT xmin::text) FROM orders WHERE order_id = ANY (:ids)", orderIds)).isEqualTo(3);
            assertThat(count(handle, "SELECT count(*) FROM order_items WHERE order_id = ANY (:ids)", orderIds)).isEqualTo(20);
            assertThat(count(handle, "SELECT count(*) FROM order_status_history WHERE order_id = ANY (:ids)", orderIds)).isEqualTo(20);
            assertThat(count(handle, "SELECT count(*) FROM outbox WHERE message_key = ANY (:ids)", orderIds)).isEqualTo(40);
        }
        assertThat(answers.get(5).join()).satisfies(order -> {
            assertThat(order.customerId()).isEqualTo("queued-3");
            assertThat(order.status()).isEqualTo("RECEIVED");
        });
    }

    @Test
    void anOrderTheDatabaseRefusesFailsAloneAndTheOthersOfItsBatchAreWritten() {
        List<CompletableFuture<OrderView>> answers = new ArrayList<>();
        CompletableFuture<OrderView> refused;
        try (Handle blocker = jdbi.open()) {
            blocker.begin();
            blocker.execute("LOCK TABLE orders IN EXCLUSIVE MODE");
            blockBothWriters(answers);
            answers.add(placeAsync("before"));
            refused = CompletableFuture.supplyAsync(() -> writer.place(request("refused", new BigDecimal("1000000000000"))), clients);
            answers.add(placeAsync("after"));
            await().atMost(WAIT).until(() -> writer.queued() == 3);
            blocker.rollback();
        }

        assertThat(answers).allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo("RECEIVED"));
        assertThatThrownBy(refused::join).hasMessageContaining("numeric field overflow");
    }

    /** One order for each writer, each its own batch; both wait for the lock on orders. */
    private void blockBothWriters(List<CompletableFuture<OrderView>> answers) {
        answers.add(placeAsync("first"));
        await().atMost(WAIT).until(() -> sessionsWaitingForALock() == 1);
        answers.add(placeAsync("second"));
        await().atMost(WAIT).until(() -> sessionsWaitingForALock() == 2);
    }

    @Test
    void whenAFullBatchIsWaitingTheNextOrderIsRefusedAtOnceAndNothingOfItStored() {
        List<CompletableFuture<OrderView>> answers = new ArrayList<>();
        try (Handle blocker = jdbi.open()) {
            blocker.begin();
            blocker.execute("LOCK TABLE orders IN EXCLUSIVE MODE");
            blockBothWriters(answers);
            for (int i = 0; i < 18; i++) {
                answers.add(placeAsync("queued-" + i));
            }
            await().atMost(WAIT).until(() -> writer.queued() == 18);

            assertThatThrownBy(() -> writer.place(request("one-too-many", new BigDecimal("9.99"))))
                    .isInstanceOfSatisfying(ProblemException.class, refused -> assertThat(refused.problem().status()).isEqualTo(503));
            blocker.rollback();
        }

        assertThat(answers).allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo("RECEIVED"));
        try (Handle handle = jdbi.open()) {
            assertThat(handle.createQuery("SELECT count(*) FROM orders WHERE customer_id = 'one-too-many'").mapTo(Long.class).one()).isZero();
        }
    }

    private CompletableFuture<OrderView> placeAsync(String customerId) {
        return CompletableFuture.supplyAsync(() -> writer.place(request(customerId, new BigDecimal("9.99"))), clients);
    }

    private static PlaceOrderRequest request(String customerId, BigDecimal price) {
        return new PlaceOrderRequest(customerId, "EUR", List.of(new PlaceOrderRequest.Item("sku-1", "Mug", 1, price)));
    }

    private long sessionsWaitingForALock() {
        return jdbi.withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                .mapTo(Long.class).one());
    }

    private static long count(Handle handle, String sql, List<String> orderIds) {
        return handle.createQuery(sql).bindArray("ids", String.class, orderIds).mapTo(Long.class).one();
    }
}
