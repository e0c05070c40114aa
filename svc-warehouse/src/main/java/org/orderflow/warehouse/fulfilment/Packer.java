package org.orderflow.warehouse.fulfilment;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packs the fulfilments whose packing time has passed, every 100 ms, on a thread of its own: a hundred at a time, each
 * pass in one transaction with what it publishes. Runs only when picking takes time. A pass that fails is logged and
 * the next one tries again.
 */
final class Packer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Packer.class);
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final int PER_PASS = 100;

    private final Jdbi jdbi;
    private final EventPublisher publisher;
    private final FulfilmentService service;
    private final Duration packingTime;
    private final ScheduledExecutorService schedule;

    Packer(Jdbi jdbi, EventPublisher publisher, FulfilmentService service, Duration packingTime) {
        this.jdbi = jdbi;
        this.publisher = publisher;
        this.service = service;
        this.packingTime = packingTime;
        this.schedule = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "packer"));
    }

    void start() {
        if (!packingTime.isZero()) {
            schedule.scheduleWithFixedDelay(this::packDue, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void packDue() {
        try {
            jdbi.useTransaction(handle -> service.packDue(handle, PER_PASS, packed -> publisher.publishTraced(handle, packed)));
        } catch (RuntimeException e) {
            log.warn("Packing failed; will try again: {}", e.toString());
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
