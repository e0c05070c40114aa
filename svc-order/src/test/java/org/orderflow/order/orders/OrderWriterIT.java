package org.orderflow.order.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionException;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.messaging.Json;
import org.orderflow.order.idempotency.IdempotentRequests;
import org.orderflow.service.Lifecycle;
import org.orderflow.service.http.ProblemException;

class OrderWriterIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Lifecycle lifecycle = new Lifecycle();
    private final ExecutorService clients = Executors.newCachedThreadPool(); // each waits for its answer, like a request thread
    private Jdbi jdbi;
    private OrderWriter writer;

    @BeforeEach
    void setUp() {
        jdbi = OrderDatabase.open(lifecycle);
        writer = new OrderWriter(jdbi, OrderDatabase.service(), 2, 18);
    }

    @AfterEach
    void tearDown() {
        lifecycle.close();
        clients.shutdownNow();
    }

    @Test
    void ordersQueuedWhileOthersAreWrittenShareOneTransaction() {
        List<CompletableFuture<OrderView>> answers = new ArrayList<>();
        Handle blocker = blockWritersAndQueue(answers, orders("queued-", 18));

        release(blocker);

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
        Handle blocker = blockWritersAndQueue(answers, List.of(request("before", new BigDecimal("9.99")),
                request("refused", new BigDecimal("1000000000000")), request("after", new BigDecimal("9.99"))));
        CompletableFuture<OrderView> refused = answers.remove(3);

        release(blocker);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo("RECEIVED"));
        assertThatThrownBy(refused::join).hasMessageContaining("numeric field overflow");
    }

    @Test
    void whenAFullBatchIsWaitingTheNextOrderIsRefusedAtOnceAndNothingOfItStored() {
        List<CompletableFuture<OrderView>> answers = new ArrayList<>();
        Handle blocker = blockWritersAndQueue(answers, orders("queued-", 18));

        assertThatThrownBy(() -> writer.place(request("one-too-many", new BigDecimal("9.99")), Optional.empty()))
                .isInstanceOfSatisfying(ProblemException.class, refused -> {
                    assertThat(refused.problem().status()).isEqualTo(503);
                    assertThat(refused.retryAfter()).contains(Duration.ofSeconds(1));
                });
        release(blocker);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo("RECEIVED"));
        try (Handle handle = jdbi.open()) {
            assertThat(handle.createQuery("SELECT count(*) FROM orders WHERE customer_id = 'one-too-many'").mapTo(Long.class).one()).isZero();
        }
    }

    @Test
    void aBatchWhoseCommitAnswerWasLostIsWrittenAgainWithoutStoringAnyOrderTwice() {
        jdbi.setTransactionHandler(new LosesTheAnswerOfOneBatchCommit(jdbi.getTransactionHandler(), new AtomicBoolean()));
        List<CompletableFuture<OrderView>> answers = new ArrayList<>();
        Handle blocker = blockWritersAndQueue(answers, orders("ambiguous-", 10));

        release(blocker);

        List<String> orderIds = answers.stream().map(CompletableFuture::join).map(OrderView::orderId).toList();
        assertThat(orderIds).hasSize(12).doesNotHaveDuplicates();
        try (Handle handle = jdbi.open()) {
            assertThat(handle.createQuery("SELECT count(*) FROM orders WHERE customer_id LIKE 'ambiguous-%'").mapTo(Long.class).one())
                    .isEqualTo(10);
            assertThat(count(handle, "SELECT count(*) FROM orders WHERE order_id = ANY (:ids)", orderIds)).isEqualTo(12);
            assertThat(count(handle, "SELECT count(*) FROM outbox WHERE message_key = ANY (:ids)", orderIds)).isEqualTo(24);
        }
    }

    /**
     * The first transaction that writes several orders commits, and then its caller is told it failed: as when the
     * connection breaks after the server committed and before the answer arrived.
     */
    private static final class LosesTheAnswerOfOneBatchCommit extends DelegatingTransactionHandler {
        private final AtomicBoolean lost;

        LosesTheAnswerOfOneBatchCommit(TransactionHandler delegate, AtomicBoolean lost) {
            super(delegate);
            this.lost = lost;
        }

        @Override
        public TransactionHandler specialize(Handle handle) throws SQLException {
            return new LosesTheAnswerOfOneBatchCommit(getDelegate().specialize(handle), lost);
        }

        @Override
        public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
            AtomicLong ordersWritten = new AtomicLong();
            R result = super.inTransaction(handle, inside -> {
                R written = callback.withHandle(inside);
                ordersWritten.set(inside.createQuery("SELECT count(*) FROM orders WHERE xmin = pg_current_xact_id()::xid")
                        .mapTo(Long.class).one());
                return written;
            });
            if (ordersWritten.get() > 1 && lost.compareAndSet(false, true)) {
                throw new TransactionException("The answer to COMMIT was lost (the transaction committed)");
            }
            return result;
        }
    }

    /**
     * Locks the orders table, places one order for each writer (each its own batch, both then waiting for the lock),
     * then {@code queued}, which wait for a writer. Their answers go to {@code answers} in that order.
     */
    private Handle blockWritersAndQueue(List<CompletableFuture<OrderView>> answers, List<PlaceOrderRequest> queued) {
        Handle blocker = jdbi.open();
        blocker.begin();
        blocker.execute("LOCK TABLE orders IN EXCLUSIVE MODE");
        answers.add(placeAsync(request("first", new BigDecimal("9.99"))));
        await().atMost(WAIT).until(() -> sessionsWaitingForALock() == 1);
        answers.add(placeAsync(request("second", new BigDecimal("9.99"))));
        await().atMost(WAIT).until(() -> sessionsWaitingForALock() == 2);
        queued.forEach(request -> answers.add(placeAsync(request)));
        await().atMost(WAIT).until(() -> writer.queued() == queued.size());
        return blocker;
    }

    private static void release(Handle blocker) {
        blocker.rollback();
        blocker.close();
    }

    private static List<PlaceOrderRequest> orders(String customerPrefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> request(customerPrefix + i, new BigDecimal("9.99"))).toList();
    }

    private CompletableFuture<OrderView> placeAsync(PlaceOrderRequest request) {
        return CompletableFuture.supplyAsync(() -> view(writer.place(request, Optional.empty())), clients);
    }

    /** The order as the response to its POST shows it. */
    private static OrderView view(IdempotentRequests.Response response) {
        try {
            return Json.mapper().readValue(response.body(), OrderView.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Not an order: " + response.body(), e);
        }
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
