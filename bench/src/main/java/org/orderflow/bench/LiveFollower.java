package org.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.orderflow.messaging.Json;

/**
 * Follows a sample of the orders live, as the tracking page does: {@code GET /orders/{id}/events} opened as soon as the
 * POST is answered, read until the order is final. What it measures is how long after svc-shipper decided an order's
 * shipment (the SHIPPED change's {@code changed_at}, stamped in svc-shipper's transaction on this same machine's clock)
 * a follower receives it: the live status's latency. Only SHIPPED changes decided after the stream was asked for count
 * ("live"); one already in the history the stream began with measures nothing about the push.
 */
final class LiveFollower implements AutoCloseable {
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(60);

    private final URI orders;
    private final String authorization;
    private final long intervalNanos;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService readers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "live-follower");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong lastFollowed = new AtomicLong();
    private final AtomicInteger following = new AtomicInteger();
    private Tally tally = new Tally();

    /**
     * What the followers of one step saw. {@code live}: SHIPPED's arrival after svc-shipper's decision, in microseconds;
     * {@code failures}: the streams that failed, by what went wrong (an HTTP status, an exception, no SHIPPED).
     */
    record Result(int followed, int inHistory, Map<String, Integer> failures, Histogram live) {
        int failed() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private static final class Tally {
        final Histogram live = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        final AtomicInteger followed = new AtomicInteger();
        final AtomicInteger inHistory = new AtomicInteger();
        final Map<String, Integer> failures = new ConcurrentHashMap<>();

        void failed(String why) {
            failures.merge(why, 1, Integer::sum);
        }
    }

    /** @param perSecond orders followed per second at most, whatever the rate (0: none) */
    LiveFollower(URI orders, String bearerToken, int perSecond) {
        this.orders = orders;
        this.authorization = "Bearer " + bearerToken;
        this.intervalNanos = perSecond <= 0 ? Long.MAX_VALUE : TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    /** Follows the order if the sample's rate allows one more now. */
    void offer(String orderId) {
        long now = System.nanoTime();
        long last = lastFollowed.get();
        if (intervalNanos == Long.MAX_VALUE || (last != 0 && now - last < intervalNanos) || !lastFollowed.compareAndSet(last, now)) {
            return;
        }
        Tally current = tally;
        current.followed.incrementAndGet();
        following.incrementAndGet();
        readers.execute(() -> {
            try {
                follow(orderId, current);
            } catch (Exception e) {
                current.failed(e.getClass().getSimpleName());
            } finally {
                following.decrementAndGet();
            }
        });
    }

    /** Waits for the streams still open (their orders not yet final) up to {@code timeout}; what this step's saw. */
    Result finish(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (following.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Tally done = tally;
        tally = new Tally();
        if (following.get() > 0) {
            done.failures.put("still open after the drain", following.get());
        }
        synchronized (done.live) {
            return new Result(done.followed.get(), done.inHistory.get(), Map.copyOf(done.failures), done.live.copy());
        }
    }

    private void follow(String orderId, Tally into) throws Exception {
        Instant asked = Instant.now();
        HttpRequest request = HttpRequest.newBuilder(orders.resolve("/orders/" + orderId + "/events")).timeout(STREAM_TIMEOUT)
                .header("Accept", "text/event-stream").header("Authorization", authorization).build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            into.failed("HTTP " + response.statusCode());
            response.body().close();
            return;
        }
        boolean shipped = false;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                Instant arrived = Instant.now();
                JsonNode change = Json.mapper().readTree(line.substring("data:".length()));
                if (change.path("status").asText().equals("SHIPPED")) {
                    shipped = true;
                    Instant decided = Instant.parse(change.get("changed_at").asText());
                    if (decided.isAfter(asked)) {
                        synchronized (into.live) {
                            into.live.recordValue(Math.max(0, ChronoUnit.MICROS.between(decided, arrived)));
                        }
                    } else {
                        into.inHistory.incrementAndGet();
                    }
                }
            }
        } catch (UncheckedIOException e) {
            // The connection ended abruptly: a failure unless SHIPPED had come, which is all a follower waits for.
            if (!shipped) {
                into.failed("connection ended before SHIPPED: " + e.getCause().getClass().getSimpleName());
            }
            return;
        }
        if (!shipped) {
            into.failed("ended without SHIPPED");
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
