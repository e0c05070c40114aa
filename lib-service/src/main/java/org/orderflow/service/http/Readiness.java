package org.orderflow.service.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The service's readiness checks, run for {@code GET /ready} and for the {@code orderflow.readiness.check} gauges. All
 * run at once, each bounded: a check that hangs (a black-holed host) fails after 3 s instead of hanging /ready or a
 * scrape. A scrape reads every gauge; they share one run per second.
 */
final class Readiness {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);
    private static final long GAUGES_SHARE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<String, ReadinessCheck> checks;
    private Map<String, Optional<String>> recent = Map.of();
    private long recentAt;

    Readiness(Map<String, ReadinessCheck> checks) {
        this.checks = new TreeMap<>(checks);
    }

    /** Each check's problem (empty: it passes), by name in name order. */
    Map<String, Optional<String>> run() {
        Map<String, CompletableFuture<Optional<String>>> running = new TreeMap<>();
        checks.forEach((name, check) -> running.put(name, CompletableFuture.supplyAsync(check::problem)));
        long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
        Map<String, Optional<String>> results = new TreeMap<>();
        running.forEach((name, result) -> results.put(name, outcome(result, deadline)));
        return results;
    }

    /** Each check's outcome as /ready reports it: "UP", or "DOWN: " and why, by name in name order. */
    Map<String, String> report() {
        Map<String, String> results = new TreeMap<>();
        run().forEach((name, problem) -> results.put(name, problem.map(reason -> "DOWN: " + reason).orElse("UP")));
        return results;
    }

    /** One gauge per check: 1 while it passes, 0 while it fails. */
    void register(MeterRegistry registry) {
        checks.keySet().forEach(name -> Gauge.builder("orderflow.readiness.check", this, readiness -> readiness.recent(name) ? 1 : 0)
                .description("1 while the readiness check passes (what /ready reports), 0 while it fails").tag("check", name).strongReference(true)
                .register(registry));
    }

    private synchronized boolean recent(String name) {
        if (recent.isEmpty() || System.nanoTime() - recentAt > GAUGES_SHARE_NANOS) {
            recent = run();
            recentAt = System.nanoTime();
        }
        return recent.get(name).isEmpty();
    }

    private static Optional<String> outcome(CompletableFuture<Optional<String>> result, long deadline) {
        try {
            return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Optional.of("no answer within " + CHECK_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Optional.of(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }
}
