package org.orderflow.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.orderflow.outbox.OutboxException;

/**
 * The rows Kafka acknowledged and the relay has yet to delete, and the table's upkeep that follows from deleting them.
 * A round deletes the rows the round before it had acknowledged, in the statement that reads the next rows: one round
 * trip and one commit a round instead of two (the DELETEs were a quarter of the database's commits at 100 orders/s).
 * Written by the relay's thread; read by {@link #notDeleted()} on others.
 */
final class AcknowledgedRows {
    /**
     * The outbox is a queue: each row is deleted moments after it was inserted, and autovacuum visits a table at most
     * once a minute. Until it does, the dead rows pile up at the head of the id index that every round's
     * {@code ORDER BY id} reads through: at 100 orders/s a round's SELECT took 0.5 to 1.2 ms instead of 0.2. So the
     * relay vacuums the table itself, at most this often, when it deleted rows since the last time.
     */
    static final Duration VACUUM_INTERVAL = Duration.ofSeconds(1);

    private final Clock clock;
    private volatile List<Long> notDeleted = List.of();
    private boolean deletedSinceVacuum;
    private long nextVacuumMillis;

    AcknowledgedRows(Clock clock) {
        this.clock = clock;
        this.nextVacuumMillis = clock.millis();
    }

    /** Kafka acknowledged these rows: the next {@link #deleteAndRead} deletes them. */
    void acknowledged(List<PendingRow> rows) {
        notDeleted = rows.stream().map(PendingRow::id).toList();
    }

    List<Long> notDeleted() {
        return notDeleted;
    }

    /** The table's counts as the relay sees them: its pending rows less those acknowledged and not deleted yet. */
    OutboxTable.Counts pendingCounts(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return OutboxTable.counts(connection, notDeleted);
        } catch (SQLException e) {
            throw new OutboxException("Cannot read outbox metrics", e);
        }
    }

    /** Deletes the acknowledged rows and reads the oldest {@code limit} pending ones (0: only deletes). */
    List<PendingRow> deleteAndRead(Connection connection, int limit) throws SQLException {
        List<Long> acknowledged = notDeleted;
        List<PendingRow> rows = OutboxTable.deleteAndReadOldest(connection, acknowledged, limit);
        if (!acknowledged.isEmpty()) {
            notDeleted = List.of();
            deletedSinceVacuum = true;
        }
        return rows;
    }

    /** Vacuums the outbox when rows were deleted since the last time and {@link #VACUUM_INTERVAL} has passed. */
    void vacuumWhenDue(Connection connection) throws SQLException {
        long now = clock.millis();
        if (!deletedSinceVacuum || now < nextVacuumMillis) {
            return;
        }
        OutboxTable.vacuum(connection);
        deletedSinceVacuum = false;
        nextVacuumMillis = now + VACUUM_INTERVAL.toMillis();
    }
}
