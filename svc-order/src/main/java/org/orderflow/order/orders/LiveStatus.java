package org.orderflow.order.orders;

import io.javalin.http.sse.SseClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.service.http.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open streams of GET /orders/{id}/events in this instance: each gets its order's history first, then every
 * status change as the instance's NOTIFY listener on {@code order_status} reports it ({@link #changed}), and ends when
 * the order is final. An event's id is the list of statuses sent so far (an order has each status once), so that a
 * client reconnecting with Last-Event-ID gets exactly the statuses it misses. While a stream is open, the order is in
 * {@code watched_orders}, which is what makes PostgreSQL NOTIFY its changes (V6__live_status.sql).
 *
 * <p>Changes are sent by threads of its own, not the listener's, so that reading an order's history or writing to a
 * slow client delays no other notification; writes to one stream are serialised on it, and a stream whose write fails
 * is closed alone. Every {@value #HEARTBEAT_SECONDS} s each stream gets a comment (proxies and clients see it alive)
 * and the instance's watches a longer lease.
 */
final class LiveStatus implements AutoCloseable {
    static final Duration WATCH_LEASE = Duration.ofSeconds(60);
    private static final int HEARTBEAT_SECONDS = 15;
    private static final Logger log = LoggerFactory.getLogger(LiveStatus.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final String watcher;
    private final int maxStreams;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, List<Stream>> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService senders = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "live-status-sender");
        thread.setDaemon(true);
        return thread;
    });

    /** One client's stream: what it has been sent. */
    private record Stream(SseClient client, Set<String> sent) {
    }

    LiveStatus(Jdbi jdbi, Clock clock, String watcher, int maxStreams) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.watcher = watcher;
        this.maxStreams = maxStreams;
        senders.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    /** Refuses with 503 before the stream starts when this instance has {@code maxStreams} open. */
    void ensureRoom() {
        if (open.get() >= maxStreams) {
            throw ProblemException.busy("Too many live streams", "This instance follows " + maxStreams
                    + " orders live, its most; try again shortly", Duration.ofSeconds(5));
        }
    }

    /** Follows {@code orderId} on {@code client}, which has seen {@code seen} (its Last-Event-ID) already. */
    void open(String orderId, SseClient client, Set<String> seen) {
        open.incrementAndGet();
        Stream stream = new Stream(client, new LinkedHashSet<>(seen));
        client.keepAlive();
        client.onClose(() -> close(orderId, stream));
        // Watched before the history is read: a change committed after the read is NOTIFYed. The first stream of an
        // order writes the watch and the last one deletes it, each under the order's entry, so they cannot cross.
        streams.compute(orderId, (id, following) -> {
            List<Stream> list = following != null ? following : new CopyOnWriteArrayList<>();
            if (following == null) {
                watch(orderId);
            }
            list.add(stream);
            return list;
        });
        send(orderId, List.of(stream));
    }

    /** A status of {@code orderId} changed (a NOTIFY): its streams get what they have not been sent. */
    void changed(String orderId) {
        if (streams.containsKey(orderId)) {
            senders.execute(() -> send(orderId));
        }
    }

    /** The listener (re)started: NOTIFYs sent while it did not listen are lost, so every stream is brought up to date. */
    void catchUp() {
        streams.keySet().forEach(this::changed);
    }

    private void heartbeat() {
        try {
            streams.values().forEach(following -> following.forEach(stream -> write(stream, () -> stream.client().sendComment("heartbeat"))));
            jdbi.useHandle(handle -> {
                handle.createUpdate("UPDATE watched_orders SET until = :until WHERE watcher = :watcher")
                        .bind("until", clock.instant().plus(WATCH_LEASE)).bind("watcher", watcher).execute();
                handle.createUpdate("DELETE FROM watched_orders WHERE until < :now").bind("now", clock.instant()).execute();
            });
        } catch (RuntimeException e) {
            log.warn("Live status heartbeat failed (watches keep their lease until the next): {}", e.toString());
        }
    }

    int openStreams() {
        return open.get();
    }

    private void send(String orderId) {
        List<Stream> following = streams.get(orderId);
        if (following == null || following.isEmpty()) {
            return;
        }
        try {
            send(orderId, following);
        } catch (RuntimeException e) {
            log.warn("Live status of order {} not sent (its streams get it with the next change): {}", orderId, e.toString());
        }
    }

    private void send(String orderId, List<Stream> following) {
        List<OrderView.StatusChange> history = jdbi.withHandle(handle -> OrderViews.history(handle, orderId));
        boolean terminal = history.stream().anyMatch(change -> OrderStatus.valueOf(change.status()).isTerminal());
        for (Stream stream : following) {
            write(stream, () -> {
                for (OrderView.StatusChange change : history) {
                    if (stream.sent().add(change.status())) {
                        stream.client().sendEvent("status", change, String.join(",", stream.sent()));
                    }
                }
                if (terminal) {
                    stream.client().close();
                }
            });
        }
    }

    /** One write to one stream at a time; a stream that cannot be written to is closed, the others go on. */
    private static void write(Stream stream, Runnable writing) {
        synchronized (stream) {
            if (stream.client().terminated()) {
                return;
            }
            try {
                writing.run();
            } catch (RuntimeException e) {
                log.debug("Live stream closed after a failed write: {}", e.toString());
                stream.client().close();
            }
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }

    private void watch(String orderId) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO watched_orders (order_id, watcher, until) VALUES (:orderId, :watcher, :until)
                        ON CONFLICT (order_id, watcher) DO UPDATE SET until = excluded.until""")
                .bind("orderId", orderId).bind("watcher", watcher).bind("until", clock.instant().plus(WATCH_LEASE)).execute());
    }

    private void close(String orderId, Stream stream) {
        open.decrementAndGet();
        streams.computeIfPresent(orderId, (id, following) -> {
            following.remove(stream);
            if (!following.isEmpty()) {
                return following;
            }
            jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM watched_orders WHERE order_id = :orderId AND watcher = :watcher")
                    .bind("orderId", orderId).bind("watcher", watcher).execute());
            return null;
        });
    }

    /** The statuses a Last-Event-ID says were sent: the id is the list of them. */
    static Set<String> seen(String lastEventId) {
        Set<String> seen = new LinkedHashSet<>();
        if (lastEventId == null) {
            return seen;
        }
        for (String status : lastEventId.split(",")) {
            if (isStatus(status.trim())) {
                seen.add(status.trim());
            }
        }
        return seen;
    }

    private static boolean isStatus(String name) {
        for (OrderStatus status : OrderStatus.values()) {
            if (status.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
