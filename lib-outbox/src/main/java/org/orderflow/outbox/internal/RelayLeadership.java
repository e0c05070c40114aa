package org.orderflow.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who publishes: the relay whose session holds the database's relay advisory lock. The session also gets the
 * settings that make a lost peer show within seconds on both sides: the client's network timeout fails a statement
 * that gets no answer, and the server's keepalives and TCP user timeout end a session whose client vanished.
 *
 * <p>A connection can also go half-open in a way neither side's TCP notices (a proxy or NAT that keeps both sockets
 * and forwards nothing): the server keeps the session, and with it the lock, for as long as the socket lives. An
 * active relay sends a statement at least every poll interval, so a standby that finds the lock holder's session
 * idle and silent for {@code leaderSilence} ends that session ({@code pg_terminate_backend}) and takes the lock. Only
 * idle: a holder busy in a long statement (a VACUUM after a large backlog drained) is working, and its server notices
 * a vanished client when it answers (its TCP user timeout).
 */
final class RelayLeadership {
    private static final Logger log = LoggerFactory.getLogger(RelayLeadership.class);
    /** The relay lock's key: one per database, the same in every instance of every service. */
    static final long RELAY_LOCK = 0x6f72_6465_7266_6c6fL; // "orderflo"
    /** How long the relay's statements may go unanswered: its statements take milliseconds. */
    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(10);
    private static final Executor DIRECT = Runnable::run;
    /** pg_locks shows a bigint advisory key as two 32-bit halves, objsubid 1. */
    private static final String SILENT_HOLDER = """
            SELECT a.pid, extract(epoch FROM clock_timestamp() - a.state_change)
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = ? AND l.objid = ?
              AND a.datname = current_database() AND a.pid <> pg_backend_pid()
              AND a.state = 'idle' AND a.state_change < clock_timestamp() - make_interval(secs => ?)""";

    private RelayLeadership() {
    }

    /** Sets up the relay's session and tries the lock; false when another session holds it. */
    static boolean tryLock(Connection connection) throws SQLException {
        connection.setNetworkTimeout(DIRECT, (int) NETWORK_TIMEOUT.toMillis());
        try (Statement statement = connection.createStatement()) {
            // Server side, for a client that vanished: probes after 10 s idle, 3 every 5 s, and unacknowledged
            // data given up after 20 s. PostgreSQL ignores these where the platform lacks them.
            statement.execute("SET tcp_keepalives_idle = 10");
            statement.execute("SET tcp_keepalives_interval = 5");
            statement.execute("SET tcp_keepalives_count = 3");
            statement.execute("SET tcp_user_timeout = 20000");
        }
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /** Ends the session of a lock holder silent for longer than {@code leaderSilence}; true when it did. */
    static boolean endSilentHolder(Connection connection, Duration leaderSilence) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(SILENT_HOLDER)) {
            query.setLong(1, RELAY_LOCK >>> 32);
            query.setLong(2, RELAY_LOCK & 0xffff_ffffL);
            query.setDouble(3, leaderSilence.toMillis() / 1000.0);
            try (ResultSet holder = query.executeQuery()) {
                if (!holder.next()) {
                    return false;
                }
                int pid = holder.getInt(1);
                log.warn("The relay lock's holder (PostgreSQL backend {}) has sent nothing for {} s; ending its session to take over",
                        pid, Math.round(holder.getDouble(2)));
                try (PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(?, 5000)")) {
                    terminate.setInt(1, pid);
                    try (ResultSet ended = terminate.executeQuery()) {
                        return ended.next() && ended.getBoolean(1);
                    }
                }
            }
        }
    }

    /** The connection goes back to a pool: it must not keep the lock, nor the relay's session settings. */
    static void release(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("RESET ALL");
            statement.execute("SELECT pg_advisory_unlock(" + RELAY_LOCK + ")");
        } catch (SQLException e) {
            log.debug("Could not release the relay lock (the session is gone, and with it the lock)", e);
        }
    }
}
