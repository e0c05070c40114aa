package org.orderflow.order.orders;

import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on channel {@code order_status} on a connection of its own and hands each NOTIFY (a status change of a
 * watched order, committed by any instance) to {@link LiveStatus}: one listener for all of the instance's streams,
 * no polling per client. Beats the streams' heartbeat. A lost connection is opened again after a pause.
 */
final class StatusNotifications implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusNotifications.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final int WAIT_MILLIS = 1000;

    private final Jdbi jdbi;
    private final LiveStatus live;
    private final Thread thread;
    private volatile boolean running = true;

    StatusNotifications(Jdbi jdbi, LiveStatus live) {
        this.jdbi = jdbi;
        this.live = live;
        this.thread = new Thread(this::run, "order-status-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try (Handle handle = jdbi.open()) {
                handle.execute("LISTEN order_status");
                PGConnection listening = handle.getConnection().unwrap(PGConnection.class);
                Instant nextBeat = Instant.now().plus(HEARTBEAT);
                while (running) {
                    PGNotification[] notifications = listening.getNotifications(WAIT_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            live.changed(notification.getParameter());
                        }
                    }
                    if (Instant.now().isAfter(nextBeat)) {
                        live.heartbeat();
                        nextBeat = Instant.now().plus(HEARTBEAT);
                    }
                }
            } catch (Exception e) {
                if (running) {
                    log.warn("The order status listener lost its connection, listening again in 1 s: {}", e.toString());
                    pause();
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(WAIT_MILLIS * 3L);
    }
}
