package org.orderflow.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP as a careful client does it: a request that gets no answer (connection refused or reset, a timeout) or a 5xx,
 * 409 or 429 is sent again, with the same Idempotency-Key, to the next instance of the service, after a growing pause
 * (0.25 s doubling to 2 s), until an answer comes or the deadline passes. So an ambiguous answer never becomes a lost
 * order (the retry finds it placed) nor a doubled one (the key makes the retry the same order).
 *
 * <p>At most {@link #CONNECTIONS} requests are in flight, as with a client's connection pool; the others wait their
 * turn here. Unbounded, a slow service was sent a new connection for every request due, until its accept queue
 * overflowed and every retry made it worse.
 */
final class CarefulClient implements AutoCloseable {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);
    static final int CONNECTIONS = 100;

    private final List<Integer> ports;
    private final HttpClient http;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chaos-retry-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore connections = new Semaphore(CONNECTIONS);
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final String authorization;
    final LongAdder retries = new LongAdder();
    /** Why requests were sent again: an HTTP status ("503") or the failure's class ("ConnectException"). */
    final Map<String, LongAdder> retryReasons = new ConcurrentHashMap<>();

    /**
     * @param ports       the service's instances, tried in turn
     * @param bearerToken sent with every request, as {@code Authorization: Bearer}
     */
    CarefulClient(List<Integer> ports, String bearerToken) {
        this.ports = List.copyOf(ports);
        this.authorization = "Bearer " + bearerToken;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * POSTs with an Idempotency-Key; the first final answer, or an unanswered one once {@code deadlineNanos}
     * (System.nanoTime) passed without one. A 409 (the first request with the key still in flight) is not final.
     */
    CompletableFuture<Answer> postIdempotent(String path, String body, String idempotencyKey, long deadlineNanos) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        attempt(path, body, Optional.of(idempotencyKey), deadlineNanos, 0, answer);
        return answer;
    }

    /** POSTs a request that is safe to repeat by its nature (a cancellation); a 409 is final. */
    CompletableFuture<Answer> post(String path, String body, long deadlineNanos) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        attempt(path, body, Optional.empty(), deadlineNanos, 0, answer);
        return answer;
    }

    private void attempt(String path, String body, Optional<String> key, long deadlineNanos, int attempt, CompletableFuture<Answer> answer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + ports.get(attempt % ports.size()) + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        key.ifPresent(value -> request.header("Idempotency-Key", value));
        waiting.add(() -> http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            connections.release();
            sendWaiting();
            boolean again = failure != null || response.statusCode() >= 500 || response.statusCode() == 409 && key.isPresent()
                    || response.statusCode() == 429;
            if (!again) {
                answer.complete(new Answer(response.statusCode(), response.body()));
            } else if (System.nanoTime() > deadlineNanos) {
                answer.complete(new Answer(0, failure != null ? describe(failure) : "HTTP " + response.statusCode() + ": " + response.body()));
            } else {
                retries.increment();
                retryReasons.computeIfAbsent(failure != null ? rootCause(failure).getClass().getSimpleName() : Integer.toString(response.statusCode()),
                        reason -> new LongAdder()).increment();
                long pause = Math.min(LONGEST_PAUSE.toMillis(), FIRST_PAUSE.toMillis() << Math.min(attempt, 4));
                timer.schedule(() -> attempt(path, body, key, deadlineNanos, attempt + 1, answer), pause, TimeUnit.MILLISECONDS);
            }
        }));
        sendWaiting();
    }

    /** Sends waiting requests while connections are free. */
    private void sendWaiting() {
        while (!waiting.isEmpty() && connections.tryAcquire()) {
            Runnable next = waiting.poll();
            if (next == null) {
                connections.release();
                return;
            }
            next.run();
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure.getCause() instanceof IOException io ? io : failure;
        return cause.toString();
    }

    ScheduledExecutorService scheduler() {
        return timer;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /**
     * A final answer: its status, or 0 when none came before the deadline.
     *
     * @param body the response body, or why no answer came
     */
    record Answer(int status, String body) {
        boolean answered() {
            return status != 0;
        }
    }
}
