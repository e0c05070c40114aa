package org.orderflow.order.orders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.service.http.Problem;
import org.orderflow.service.http.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for POST /orders. Requests queue here; a few writer threads each take whatever has queued and write
 * it in one transaction (the same few statements and one commit for one order or a hundred), then answer every
 * request in it. Alone, an order is written at once; under load each commit carries the orders that arrived while
 * the previous one was being written, so the database does a fraction of the work per order.
 *
 * <p>A batch that fails is written again one order per transaction, so that one bad order fails alone.
 */
final class OrderWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrderWriter.class);
    private static final int MAX_BATCH = 200;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private final OrderService service;
    private final BlockingQueue<Placement> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    OrderWriter(Jdbi jdbi, OrderService service, int writerThreads) {
        this.jdbi = jdbi;
        this.service = service;
        for (int i = 0; i < writerThreads; i++) {
            Thread writer = new Thread(this::run, "order-writer-" + i);
            writer.start();
            writers.add(writer);
        }
    }

    /** Places the order and returns it once committed; throws what its transaction threw. */
    OrderView place(PlaceOrderRequest request) {
        if (!running) {
            throw stopping();
        }
        Placement placement = new Placement(request, new CompletableFuture<>());
        queue.add(placement);
        try {
            return placement.answer().get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The order was not written within " + ANSWER_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stopping();
        }
    }

    /** Orders waiting for a writer. */
    int queued() {
        return queue.size();
    }

    /** Writes what is queued, then stops the writers. HTTP stops before this, so nothing new arrives. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread writer : writers) {
            writer.join();
        }
        Placement left;
        while ((left = queue.poll()) != null) {
            left.answer().completeExceptionally(stopping());
        }
    }

    private void run() {
        List<Placement> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Placement first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Order writer failed; {} request(s) answered with the error", batch.size(), e);
                batch.forEach(placement -> placement.answer().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Placement> batch) {
        List<OrderView> placed;
        try {
            placed = jdbi.inTransaction(handle -> service.placeAll(handle, batch.stream().map(Placement::request).toList()));
        } catch (RuntimeException failure) {
            if (batch.size() == 1) {
                batch.get(0).answer().completeExceptionally(failure);
            } else {
                log.warn("Writing {} orders in one transaction failed ({}); writing them one by one", batch.size(), failure.toString());
                batch.forEach(placement -> write(List.of(placement)));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).answer().complete(placed.get(i));
        }
    }

    private static ProblemException stopping() {
        return new ProblemException(Problem.of(503, "Service stopping", "svc-order is shutting down; retry"));
    }

    private record Placement(PlaceOrderRequest request, CompletableFuture<OrderView> answer) {
    }
}
