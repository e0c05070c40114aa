package org.orderflow.messaging.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes processed-event ids older than the retention, every {@link #INTERVAL}, on a thread of its own: one per
 * consumer, whatever its number of threads. A failed round is logged and the next one tries again.
 */
final class InboxCleaner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InboxCleaner.class);
    static final Duration INTERVAL = Duration.ofMinutes(10);

    private final Jdbi jdbi;
    private final Duration retention;
    private final Inbox inbox = new Inbox();
    private final ScheduledExecutorService scheduler;

    InboxCleaner(Jdbi jdbi, Duration retention, String service) {
        this.jdbi = jdbi;
        this.retention = retention;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, service + "-inbox-cleaner");
            thread.setDaemon(true);
            return thread;
        });
    }

    InboxCleaner start() {
        scheduler.scheduleWithFixedDelay(this::cleanOnce, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round; returns the ids deleted (-1 when it failed). */
    int cleanOnce() {
        try {
            int deleted = inbox.deleteOlderThan(jdbi, retention);
            log.debug("Deleted {} processed-event ids older than {}", deleted, retention);
            return deleted;
        } catch (RuntimeException e) {
            log.warn("Inbox clean-up failed; will try again in {}: {}", INTERVAL, e.toString());
            return -1;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
