package org.orderflow.order.orders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.order.idempotency.IdempotentRequests;
import org.orderflow.order.idempotency.IdempotentRequests.Claim;
import org.orderflow.order.idempotency.IdempotentRequests.Response;
import org.orderflow.messaging.TimeOrderedUuid;
import org.orderflow.service.http.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for POST /orders. A request queues its order, then waits for one of a few writer slots; the request
 * that gets one writes everything queued by then in one transaction (the same few statements and one commit for one
 * order or a hundred) and answers every request in it. Alone, an order is written at once by its own request; under
 * load each commit carries the orders that arrived while the previous ones were being written. The writing is done
 * by the request threads themselves, so there is no thread of its own to start, starve or stop.
 *
 * <p>A request with an Idempotency-Key is written the same way: its key is claimed, and its response stored, in the
 * batch's transaction ({@link IdempotentRequests}). A request whose key another request claimed gets that request's
 * stored response, once its transaction has committed.
 *
 * <p>A batch that fails is written again one order per transaction, so that one bad order fails alone.
 *
 * <p>When a full batch is already waiting, a new order is refused at once (503): the orders arrive faster than the
 * database takes them, and a request left waiting holds its HTTP thread and connection. At 1,000 POSTs/s without this
 * limit, requests piled up by the thousands until svc-order ran out of heap.
 */
final class OrderWriter {
    private static final Logger log = LoggerFactory.getLogger(OrderWriter.class);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Jdbi jdbi;
    private final OrderService service;
    private final BlockingQueue<Placement> queue = new LinkedBlockingQueue<>();
    private final Semaphore writers;
    private final int maxBatch;

    /**
     * {@code maxBatch}: orders one transaction writes at most, and orders that may wait at most
     * ({@code ORDER_QUEUE_LIMIT}).
     */
    OrderWriter(Jdbi jdbi, OrderService service, int concurrentWriters, int maxBatch) {
        this.jdbi = jdbi;
        this.service = service;
        this.writers = new Semaphore(concurrentWriters);
        this.maxBatch = maxBatch;
    }

    /**
     * Places the order and returns it once committed; throws what its transaction threw. A request whose order another
     * writer took waits for that writer's commit, not for a writer slot: slots are for writing.
     */
    Response place(PlaceOrderRequest request, Optional<Claim> claim) {
        if (queue.size() >= maxBatch) {
            throw ProblemException.busy("Too many orders at once",
                    "svc-order is writing as many orders as it can; nothing was stored, retry in a moment", Duration.ofSeconds(1));
        }
        // The order's events go out in this request's trace, whichever request's transaction writes them.
        Placement placement = new Placement(new OrderService.NewPlacement(TimeOrderedUuid.next().toString(), request,
                io.opentelemetry.context.Context.current()), claim,
                new CompletableFuture<>(), Thread.currentThread(), new AtomicBoolean());
        queue.add(placement);
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (!placement.answer().isDone() && System.nanoTime() < deadline) {
            if (writers.tryAcquire()) {
                try {
                    List<Placement> drained = new ArrayList<>();
                    queue.drainTo(drained, maxBatch);
                    // ours, unless a writer before us took it: then it is in that writer's batch
                    write(drained.stream().filter(Placement::take).toList());
                } finally {
                    writers.release();
                }
                wakeNextWriter();
            } else {
                // Woken when our order is written, or when a slot frees up while we are first in line; the timeout
                // covers the rest (we were first when a slot freed but a newer request took it).
                LockSupport.parkNanos(this, Math.min(MAX_PARK_NANOS, deadline - System.nanoTime()));
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("Interrupted while the order was being written");
                }
            }
        }
        return answerOf(placement, deadline);
    }

    /** Orders waiting for a writer. */
    int queued() {
        return queue.size();
    }

    private void write(List<Placement> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<Placement, Supplier<Response>> answers;
        try {
            answers = jdbi.inTransaction(handle -> writeIn(handle, batch));
        } catch (RuntimeException failure) {
            if (batch.size() == 1) {
                batch.get(0).fail(IdempotentRequests.isBusy(failure) ? IdempotentRequests.inFlight() : failure);
            } else {
                log.warn("Writing {} orders in one transaction failed ({}); writing them one by one", batch.size(), failure.toString());
                batch.forEach(placement -> write(List.of(placement)));
            }
            return;
        }
        for (Placement placement : batch) {
            Supplier<Response> answer = answers.get(placement);
            if (answer != null) {
                placement.complete(answer);
            } else {
                answerFromStore(placement);
            }
        }
    }

    /**
     * Claims the batch's keys, places the orders of those it won and of those without a key, and stores their
     * responses. The others (a key claimed by another request, in this batch or before) are left out.
     */
    private Map<Placement, Supplier<Response>> writeIn(Handle handle, List<Placement> batch) {
        Map<String, Placement> firstWithKey = new LinkedHashMap<>();
        batch.forEach(placement -> placement.claim().ifPresent(claim -> firstWithKey.putIfAbsent(claim.key(), placement)));
        Set<String> won = IdempotentRequests.claimAll(handle, firstWithKey.values().stream().map(placement -> placement.claim().orElseThrow()).toList());
        List<Placement> placing = batch.stream().filter(placement -> placement.claim()
                .map(claim -> won.contains(claim.key()) && firstWithKey.get(claim.key()) == placement).orElse(true)).toList();
        List<OrderView> placed = service.placeAll(handle, placing.stream().map(Placement::placement).toList());
        Map<Placement, Supplier<Response>> answers = new IdentityHashMap<>();
        Map<String, Response> toStore = new HashMap<>();
        for (int i = 0; i < placing.size(); i++) {
            OrderView order = placed.get(i);
            Optional<Claim> claim = placing.get(i).claim();
            if (claim.isPresent()) {
                Response created = created(order);
                toStore.put(claim.get().key(), created);
                answers.put(placing.get(i), () -> created);
            } else {
                answers.put(placing.get(i), () -> created(order)); // serialised by its request's thread, not in the transaction
            }
        }
        IdempotentRequests.storeAll(handle, toStore);
        return answers;
    }

    private static Response created(OrderView order) {
        return Response.json(201, order, "/orders/" + order.orderId());
    }

    /** A request whose key another request claimed: that one's committed response, or its 422 or 409. */
    private void answerFromStore(Placement placement) {
        try {
            Response stored = jdbi.withHandle(handle -> IdempotentRequests.storedAnswer(handle, placement.claim().orElseThrow()));
            placement.complete(() -> stored);
        } catch (RuntimeException failure) {
            placement.fail(failure);
        }
    }

    /**
     * A slot is free: the request first in line takes it, and writes what has queued by then. Waking only that one
     * keeps a busy svc-order from waking every waiting request on every commit: with a few hundred waiting, the
     * wake-ups and their fight for one monitor took a fifth of svc-order's CPU at 1,000 orders/s.
     */
    private void wakeNextWriter() {
        Placement first = queue.peek();
        if (first != null) {
            LockSupport.unpark(first.thread());
        }
    }

    /**
     * The order's answer. A request that gives up first takes its order out of the queue: a writer skips it, so an
     * order whose client got an error is never written later. One a writer has taken is answered as that writer's
     * transaction ends, however long it takes (the pool's socket timeout bounds it).
     */
    private static Response answerOf(Placement placement, long deadline) {
        long wait = Math.max(0, deadline - System.nanoTime());
        while (true) {
            try {
                return placement.answer().get(wait, TimeUnit.NANOSECONDS).get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            } catch (TimeoutException e) {
                if (placement.abandon()) {
                    throw ProblemException.busy("Order not written in time", "svc-order could not write the order within "
                            + ANSWER_TIMEOUT.toSeconds() + " s; nothing was stored, retry", Duration.ofSeconds(1));
                }
                wait = ANSWER_TIMEOUT.toNanos(); // a writer has it: its transaction's end answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the order was being written", e);
            }
        }
    }

    /**
     * An order waiting to be written, and the request thread waiting for it (woken when it is answered). {@code taken}
     * decides once between the writer that takes it and the request that gives up on it.
     */
    private record Placement(OrderService.NewPlacement placement, Optional<Claim> claim, CompletableFuture<Supplier<Response>> answer,
                             Thread thread, AtomicBoolean taken) {
        /** A writer takes it; false when its request gave up on it. */
        boolean take() {
            return taken.compareAndSet(false, true);
        }

        /** Its request gives up; false when a writer has taken it already. */
        boolean abandon() {
            return taken.compareAndSet(false, true);
        }

        void complete(Supplier<Response> placed) {
            answer.complete(placed);
            LockSupport.unpark(thread);
        }

        void fail(RuntimeException failure) {
            answer.completeExceptionally(failure);
            LockSupport.unpark(thread);
        }
    }
}
