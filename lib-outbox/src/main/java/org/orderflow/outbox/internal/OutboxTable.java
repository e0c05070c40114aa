package org.orderflow.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.orderflow.outbox.OutboxException;

/** The relay's statements on the outbox table and its parked rows, on the relay's own connection. */
final class OutboxTable {
    private static final String DELETE_ACKNOWLEDGED_AND_READ_OLDEST = """
            WITH acknowledged AS (DELETE FROM outbox WHERE id = ANY (?) RETURNING id)
            SELECT id, topic, message_key, headers::text, verbatim_headers::text, payload FROM outbox
            WHERE id NOT IN (SELECT id FROM acknowledged)
            ORDER BY id LIMIT ?""";
    private static final String PARK = """
            WITH moved AS (DELETE FROM outbox WHERE id = ? RETURNING *)
            INSERT INTO outbox_parked (id, topic, message_key, headers, verbatim_headers, payload, created_at, attempts, error)
            SELECT id, topic, message_key, headers, verbatim_headers, payload, created_at, 1, ? FROM moved""";

    private OutboxTable() {
    }

    /**
     * Deletes {@code acknowledged} and reads the oldest {@code limit} pending rows, in one statement. Its DELETE and
     * SELECT see the same snapshot: the SELECT leaves out the rows being deleted itself. The DELETE runs to its end
     * whatever the SELECT reads, so a limit of 0 only deletes.
     */
    static List<PendingRow> deleteAndReadOldest(Connection connection, List<Long> acknowledged, int limit) throws SQLException {
        List<PendingRow> rows = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(DELETE_ACKNOWLEDGED_AND_READ_OLDEST)) {
            query.setArray(1, connection.createArrayOf("bigint", acknowledged.toArray()));
            query.setInt(2, limit);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new PendingRow(result.getLong(1), result.getString(2), result.getString(3), HeaderCodec.headersFromJson(result.getString(4)),
                            HeaderCodec.verbatimFromJson(result.getString(5)), result.getBytes(6)));
                }
            }
        }
        return rows;
    }

    /** Moves a row Kafka refused for good to {@code outbox_parked}, with why. */
    static void park(Connection connection, long id, String error) throws SQLException {
        try (PreparedStatement park = connection.prepareStatement(PARK)) {
            park.setLong(1, id);
            park.setString(2, error);
            park.executeUpdate();
        }
    }

    /** Sets the relay's session up before its first round: see the two settings below for why. */
    static void prepareRelaySession(Connection connection) throws SQLException {
        commitDeletesWithoutWaitingForDisk(connection);
        planRoundsOnce(connection);
    }

    /**
     * The relay's only writes are its DELETEs of rows Kafka has acknowledged. Should the server crash before one of
     * them reaches the disk, the rows come back and are published again: a duplicate, which every consumer's inbox
     * drops, as it drops the duplicates of a relay that died between the acknowledgement and the DELETE. So the relay
     * need not wait for each DELETE's WAL flush: that is a quarter of the database's fsyncs at 100 orders/s, and a
     * flush less on every round's path. Every other transaction keeps the server's {@code synchronous_commit}.
     */
    private static void commitDeletesWithoutWaitingForDisk(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET synchronous_commit TO off");
        }
    }

    /**
     * The round's statement runs hundreds of times a second with the same shape, and its generic plan (through the
     * primary key) is right for every size of the outbox. Left to choose, PostgreSQL sometimes keeps planning it afresh
     * for each call: at 100 orders/s one of the five relays did, and its statement cost three times the others'.
     */
    private static void planRoundsOnce(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode TO force_generic_plan");
        }
    }

    /**
     * SKIP_LOCKED: when autovacuum is at it, there is nothing to do. TRUNCATE false: giving the empty pages at the end
     * back to the file system takes an exclusive lock that makes every transaction appending to the outbox wait (the
     * hop benchmark's max went from 39 to 108 ms with it); the pages are reused anyway. A role that does not own the
     * table gets a warning.
     */
    static void vacuum(Connection connection) throws SQLException {
        try (Statement vacuum = connection.createStatement()) {
            vacuum.execute("VACUUM (SKIP_LOCKED, TRUNCATE false) outbox");
        }
    }

    /** Pending rows (less those acknowledged and not yet deleted), the oldest's age, and the parked rows. */
    static Counts counts(Connection connection, List<Long> acknowledgedNotDeleted) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(created_at)) * 1000, 0),
                       (SELECT count(*) FROM outbox_parked)
                FROM outbox WHERE id NOT IN (SELECT unnest(CAST(? AS bigint[])))""")) {
            query.setArray(1, connection.createArrayOf("bigint", acknowledgedNotDeleted.toArray()));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new Counts(row.getLong(1), Duration.ofMillis(row.getLong(2)), row.getLong(3));
            }
        }
    }

    record Counts(long pendingRows, Duration oldestPendingAge, long parkedRows) {
    }
}
