package org.orderflow.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on channel {@code outbox} on a connection of its own and turns each NOTIFY (a commit in another instance,
 * whose relay stands by) into a wake-up of this process's relay.
 *
 * <p>Why a thread of its own: the relay waits for in-process wake-ups on a monitor, and a JDBC connection can only be
 * read by blocking on its socket. Checking the socket between short waits cost every idle relay a wake-up every few
 * milliseconds; this thread blocks on the socket instead and costs nothing while nothing is sent.
 */
final class NotifyListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotifyListener.class);
    /** How long one blocking read lasts: the longest {@link #close()} waits for the thread. */
    private static final int READ_TIMEOUT_MILLIS = 500;

    private final DataSource dataSource;
    private final RelayWakeup wakeup;
    private final Duration maxBackoff;
    private final Thread thread;
    private volatile boolean running = true;

    NotifyListener(DataSource dataSource, RelayWakeup wakeup, Duration maxBackoff, String name) {
        this.dataSource = dataSource;
        this.wakeup = wakeup;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    NotifyListener start() {
        thread.start();
        return this;
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), maxBackoff);
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN outbox");
                }
                // A NOTIFY sent while this thread was not listening is lost: wake the relay once to read what is there.
                wakeup.wake();
                backoff.reset();
                try {
                    listen(connection.unwrap(PGConnection.class));
                } catch (SQLException e) {
                    showPoolItFailed(connection);
                    throw e;
                }
                try (Statement unlisten = connection.createStatement()) {
                    unlisten.execute("UNLISTEN *"); // the connection goes back to a pool
                }
            } catch (SQLException | RuntimeException e) {
                // Meanwhile only this process's own commits and the relay's poll interval wake the relay.
                Duration wait = backoff.next();
                log.warn("Outbox NOTIFY listener cannot listen ({}); trying again in {} ms", e.getMessage(), wait.toMillis());
                sleep(wait);
            }
        }
    }

    private void listen(PGConnection connection) throws SQLException {
        while (running) {
            PGNotification[] received = connection.getNotifications(READ_TIMEOUT_MILLIS);
            if (received != null && received.length > 0) {
                wakeup.wake();
            }
        }
    }

    /**
     * The blocking read goes to the driver's own connection, past the pool's proxy, so the pool does not see it fail
     * and would lend the broken connection again. A statement through the proxy fails where the pool sees it.
     */
    private static void showPoolItFailed(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        } catch (SQLException expected) {
            // the pool has seen the connection fail and will not lend it again
        }
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(READ_TIMEOUT_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
