package org.orderflow.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.outbox.internal.JdbiOutboxAdmin;

/**
 * What an operator sees and does with one database's outbox: how far behind it is, who publishes it, and the rows
 * the relay parked ({@link OutboxRelay}). Retrying a parked row appends it again at the outbox's tail, in one
 * transaction with its removal from the parked rows, so it is published once more at least once, never lost; dropping
 * it deletes it for good. Thread-safe; each call is its own transaction.
 */
public interface OutboxAdmin {

    static OutboxAdmin create(Jdbi jdbi) {
        return new JdbiOutboxAdmin(jdbi);
    }

    Status status();

    /** The parked rows, oldest first. */
    List<ParkedRow> parked();

    /** Moves the parked row back to the outbox; false when there is no parked row with that id. */
    boolean retry(long id);

    /** Deletes the parked row; false when there is no parked row with that id. */
    boolean drop(long id);

    /** @param relayLeader the session that holds the relay lock; empty when no relay publishes */
    record Status(long pendingRows, Duration oldestPendingAge, long parkedRows, Optional<RelayLeader> relayLeader) {
    }

    /**
     * The database session of the relay that publishes.
     *
     * @param backendPid      its server process
     * @param client          its client's address ("local" for a Unix socket)
     * @param applicationName the process it belongs to: the service's INSTANCE_ID, else its name
     * @param idle            how long since its last statement
     */
    record RelayLeader(long backendPid, String client, String applicationName, Duration idle) {
        @Override
        public String toString() {
            return "backend " + backendPid + " from " + client + " (" + applicationName + "), last statement "
                    + String.format(java.util.Locale.ROOT, "%.1f", idle.toMillis() / 1000.0) + " s ago";
        }
    }

    /** A parked row: the outbox row as it was, and why Kafka refused it. */
    record ParkedRow(long id, String topic, String key, Map<String, String> headers, byte[] payload, Instant createdAt,
                     Instant parkedAt, int attempts, String error) {
    }
}
