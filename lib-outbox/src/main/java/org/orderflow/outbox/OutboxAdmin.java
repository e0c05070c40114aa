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

    /**
     * @param relayLeader the session that holds the relay lock (backend pid, client address, application name, and how
     *                    long since its last statement); empty when no relay publishes
     */
    record Status(long pendingRows, Duration oldestPendingAge, long parkedRows, Optional<String> relayLeader) {
    }

    /** A parked row: the outbox row as it was, and why Kafka refused it. */
    record ParkedRow(long id, String topic, String key, Map<String, String> headers, byte[] payload, Instant createdAt,
                     Instant parkedAt, int attempts, String error) {
    }
}
