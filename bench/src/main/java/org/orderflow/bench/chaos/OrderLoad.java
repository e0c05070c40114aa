package org.orderflow.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The run's orders, open loop at {@code rate} per second whatever the stack does: most over HTTP through a
 * {@link CarefulClient}, a share typed into Kafka ({@link TypedOrders}), a share of the HTTP ones cancelled at a
 * random moment. Every order placed is either accepted (its id kept for the checks), refused with a 4xx, or left
 * unanswered when no answer came within {@link #ANSWER_GRACE} of its placing. The load lasts the run's duration, and
 * longer while {@code mayEnd} says no (the first round of faults is not done).
 */
final class OrderLoad {
    static final Duration ANSWER_GRACE = Duration.ofSeconds(120);
    private static final Duration CANCEL_WITHIN = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChaosSettings settings;
    private final String runId;
    private final Catalogue catalogue;
    private final CarefulClient orders;
    private final TypedOrders typed;
    private final Progress progress;
    private final Map<String, String> accepted = new ConcurrentHashMap<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<?>> pending = new CopyOnWriteArrayList<>();
    private final AtomicLong httpPlaced = new AtomicLong();
    private final AtomicLong typedPlaced = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong cancelsSent = new AtomicLong();
    private final AtomicLong cancelsAccepted = new AtomicLong();
    private final AtomicLong cancelsTooLate = new AtomicLong();
    private final AtomicLong cancelsUnanswered = new AtomicLong();

    private final BooleanSupplier mayEnd;

    OrderLoad(ChaosSettings settings, String runId, Catalogue catalogue, CarefulClient orders, TypedOrders typed, Progress progress,
              BooleanSupplier mayEnd) {
        this.mayEnd = mayEnd;
        this.settings = settings;
        this.runId = runId;
        this.catalogue = catalogue;
        this.orders = orders;
        this.typed = typed;
        this.progress = progress;
    }

    /** Places the orders for the run's duration (or longer, see above), then waits for every answer. */
    void run() {
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / settings.rate();
        long end = start + settings.duration().toNanos();
        long nextReport = start + TimeUnit.SECONDS.toNanos(10);
        for (long n = 0; ; n++) {
            long due = start + n * interval;
            if (due >= end && mayEnd.getAsBoolean()) {
                break;
            }
            LockSupport.parkNanos(due - System.nanoTime());
            long deadline = due + ANSWER_GRACE.toNanos();
            if (ThreadLocalRandom.current().nextDouble() < settings.kafkaShare()) {
                placeTyped(n, deadline);
            } else {
                placeOverHttp(deadline);
            }
            if (System.nanoTime() >= nextReport) {
                nextReport += TimeUnit.SECONDS.toNanos(10);
                progress.say("orders placed %d, accepted %d, retries %d %s, refused %d", placed(), accepted.size(), retries(),
                        orders.retryReasons, refusals.size());
            }
        }
        progress.say("load done: %d orders placed; waiting for their answers", placed());
        for (int i = 0; i < pending.size(); i++) { // cancellations are added while earlier answers arrive
            pending.get(i).join();
        }
    }

    private void placeOverHttp(long deadlineNanos) {
        httpPlaced.incrementAndGet();
        CompletableFuture<?> done = orders.postIdempotent("/orders", httpBody(), UUID.randomUUID().toString(), deadlineNanos)
                .thenAccept(answer -> {
                    if (answer.status() == 201 || answer.status() == 200) {
                        String orderId = orderId(answer.body());
                        accepted.put(orderId, "HTTP");
                        if (ThreadLocalRandom.current().nextDouble() < settings.cancelShare()) {
                            scheduleCancel(orderId, deadlineNanos);
                        }
                    } else if (answer.answered()) {
                        refusals.add(answer.status() + " " + answer.body());
                    } else {
                        unanswered.incrementAndGet();
                    }
                });
        pending.add(done);
    }

    private void placeTyped(long n, long deadlineNanos) {
        typedPlaced.incrementAndGet();
        String orderId = "chaos-" + runId + "-typed-" + n;
        pending.add(typed.send(typedPayload(orderId), deadlineNanos).thenAccept(acknowledged -> {
            if (acknowledged) {
                accepted.put(orderId, "KAFKA");
            } else {
                unanswered.incrementAndGet();
            }
        }));
    }

    private void scheduleCancel(String orderId, long deadlineNanos) {
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        pending.add(cancelled);
        long delay = ThreadLocalRandom.current().nextLong(CANCEL_WITHIN.toMillis());
        orders.scheduler().schedule(() -> {
            cancelsSent.incrementAndGet();
            orders.post("/orders/" + orderId + "/cancel", "{\"reason\":\"chaos run " + runId + "\"}", deadlineNanos).thenAccept(answer -> {
                switch (answer.status()) {
                    case 200, 202 -> cancelsAccepted.incrementAndGet();
                    case 409 -> cancelsTooLate.incrementAndGet();
                    case 0 -> cancelsUnanswered.incrementAndGet();
                    default -> refusals.add("cancel " + answer.status() + " " + answer.body());
                }
                cancelled.complete(null);
            });
        }, delay, TimeUnit.MILLISECONDS);
    }

    private String httpBody() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder items = new StringBuilder();
        int lines = 1 + random.nextInt(2);
        for (int line = 0; line < lines; line++) {
            items.append(line == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"product_id\":\"%s\",\"name\":\"Chaos item\",\"quantity\":%d,\"price\":19.99}", catalogue.pick(), 1 + random.nextInt(3)));
        }
        return "{\"customer_id\":\"chaos-" + runId + "\",\"currency\":\"EUR\",\"items\":[" + items + "]}";
    }

    /** The README's kafka-console-producer payload, with one of the run's products. */
    private String typedPayload(String orderId) {
        int quantity = 1 + ThreadLocalRandom.current().nextInt(3);
        return String.format(Locale.ROOT, "{\"order_id\":\"%s\",\"customer_id\":\"chaos-%s\",\"items\":[{\"product_id\":\"%s\","
                        + "\"name\":\"Chaos item\",\"quantity\":%d,\"price\":19.99}],\"total\":%.2f,\"timestamp\":\"%s\"}",
                orderId, runId, catalogue.pick(), quantity, quantity * 19.99, Instant.now());
    }

    private static String orderId(String body) {
        try {
            JsonNode order = JSON.readTree(body);
            return order.get("order_id").asText();
        } catch (Exception e) {
            throw new IllegalStateException("An accepted order without an order_id: " + body, e);
        }
    }

    private long placed() {
        return httpPlaced.get() + typedPlaced.get();
    }

    private long retries() {
        return orders.retries.sum() + typed.retries.sum();
    }

    /** Order id to how it was placed ("HTTP" or "KAFKA"), for every accepted order. */
    Map<String, String> accepted() {
        return Map.copyOf(accepted);
    }

    LoadFigures figures() {
        return new LoadFigures(httpPlaced.get(), typedPlaced.get(), accepted.size(), retries(), refusals.size(),
                unanswered.get(), cancelsSent.get(), cancelsAccepted.get(), cancelsTooLate.get(), cancelsUnanswered.get(),
                refusals.stream().limit(5).toList());
    }

    /** What the load did; {@code refusalExamples} are the first few 4xx answers. */
    record LoadFigures(long placedOverHttp, long typedIntoKafka, long accepted, long retries, long refused, long unanswered,
                       long cancellationsSent, long cancellationsAccepted, long cancellationsTooLate, long cancellationsUnanswered,
                       List<String> refusalExamples) {
    }
}
