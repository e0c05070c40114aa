package org.orderflow.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jdbi.v3.core.ConnectionFactory;
import org.orderflow.outbox.internal.Backoff;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on one PostgreSQL channel on a connection of its own, in a thread of its own, and hands each NOTIFY's payload
 * to a consumer. The outbox relay listens on {@code outbox} (a commit in another instance wakes it); svc-order on
 * {@code order_status} (a watched order changed, for its live streams).
 *
 * <p>Why a thread of its own: a JDBC connection can only be read by blocking on its socket. Checking it between short
 * waits costs every idle listener a wake-up every few milliseconds; this thread blocks on the socket and costs nothing
 * while nothing is sent. The consumer runs on that thread: it should hand work off rather than do it.
 *
 * <p>A NOTIFY sent while no connection listens is lost, so {@code whenListening} runs each time listening (re)starts,
 * for the owner to catch up on what it may have missed. A lost connection is opened again after an exponential backoff
 * with jitter, logged each time.
 */
public final class NotifyListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotifyListener.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** How long one blocking read lasts: the longest {@link #close()} waits for the thread. */
    private static final int READ_TIMEOUT_MILLIS = 500;

    private final Settings settings;
    private final Thread thread;
    private volatile boolean running = true;

    private NotifyListener(Settings settings) {
        this.settings = settings;
        this.thread = new Thread(this::run, settings.threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A listener on {@code channel} (a lower-case SQL identifier) with connections from {@code connections}. */
    public static Settings on(String channel, ConnectionFactory connections) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("'" + channel + "' is not a lower-case SQL identifier");
        }
        return new Settings(channel, Objects.requireNonNull(connections));
    }

    /** How a listener works; {@link #start()} starts it. */
    public static final class Settings {
        private final String channel;
        private final ConnectionFactory connections;
        private Consumer<String> onNotify = payload -> { };
        private Runnable whenListening = () -> { };
        private Duration maxBackoff = Duration.ofSeconds(5);
        private String threadName;

        private Settings(String channel, ConnectionFactory connections) {
            this.channel = channel;
            this.connections = connections;
            this.threadName = channel + "-listener";
        }

        /** Gets each NOTIFY's payload, on the listener's thread. */
        public Settings onNotify(Consumer<String> consumer) {
            this.onNotify = Objects.requireNonNull(consumer);
            return this;
        }

        /** Runs each time listening (re)starts: NOTIFYs sent meanwhile were lost. */
        public Settings whenListening(Runnable catchUp) {
            this.whenListening = Objects.requireNonNull(catchUp);
            return this;
        }

        /** The longest wait between attempts to listen again (5 s by default). */
        public Settings maxBackoff(Duration max) {
            this.maxBackoff = Objects.requireNonNull(max);
            return this;
        }

        public Settings threadName(String name) {
            this.threadName = Objects.requireNonNull(name);
            return this;
        }

        public NotifyListener start() {
            return new NotifyListener(this);
        }
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), settings.maxBackoff);
        while (running) {
            try (Connection connection = settings.connections.openConnection()) {
                connection.setAutoCommit(true);
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + settings.channel);
                }
                settings.whenListening.run();
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
                Duration wait = backoff.next();
                log.warn("NOTIFY listener on {} cannot listen ({}); trying again in {} ms", settings.channel, e.getMessage(), wait.toMillis());
                sleep(wait);
            }
        }
    }

    private void listen(PGConnection connection) throws SQLException {
        while (running) {
            PGNotification[] received = connection.getNotifications(READ_TIMEOUT_MILLIS);
            if (received != null) {
                for (PGNotification notification : received) {
                    settings.onNotify.accept(notification.getParameter());
                }
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
