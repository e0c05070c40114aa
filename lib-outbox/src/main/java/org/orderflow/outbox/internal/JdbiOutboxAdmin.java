package org.orderflow.outbox.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.outbox.OutboxAdmin;
import org.orderflow.outbox.OutboxAdmin.RelayLeader;
import org.orderflow.outbox.OutboxException;

/** The {@link OutboxAdmin} on PostgreSQL. */
public final class JdbiOutboxAdmin implements OutboxAdmin {

    private final Jdbi jdbi;

    public JdbiOutboxAdmin(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Status status() {
        try {
            return readStatus();
        } catch (SQLException e) {
            throw new OutboxException("Cannot read the outbox's status", e);
        }
    }

    private Status readStatus() throws SQLException {
        return jdbi.withHandle(handle -> {
            OutboxTable.Counts counts = OutboxTable.counts(handle.getConnection(), List.of());
            Optional<RelayLeader> leader = handle.createQuery("""
                            SELECT a.pid, coalesce(host(a.client_addr), 'local') AS client, a.application_name,
                                   (extract(epoch FROM clock_timestamp() - a.state_change) * 1000)::bigint AS idle_millis
                            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = :classid AND l.objid = :objid
                              AND a.datname = current_database()""")
                    .bind("classid", RelayLeadership.RELAY_LOCK >>> 32)
                    .bind("objid", RelayLeadership.RELAY_LOCK & 0xffff_ffffL)
                    .map((rows, context) -> new RelayLeader(rows.getLong("pid"), rows.getString("client"), rows.getString("application_name"),
                            Duration.ofMillis(rows.getLong("idle_millis"))))
                    .findFirst();
            return new Status(counts.pendingRows(), counts.oldestPendingAge(), counts.parkedRows(), leader);
        });
    }

    @Override
    public List<ParkedRow> parked() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, topic, message_key, headers::text, payload, created_at, parked_at, attempts, error
                        FROM outbox_parked ORDER BY id""")
                .map((rs, ctx) -> new ParkedRow(rs.getLong("id"), rs.getString("topic"), rs.getString("message_key"),
                        HeaderCodec.headersFromJson(rs.getString("headers")), rs.getBytes("payload"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("parked_at").toInstant(), rs.getInt("attempts"), rs.getString("error")))
                .list());
    }

    @Override
    public boolean retry(long id) {
        return jdbi.inTransaction(handle -> {
            boolean moved = handle.createUpdate("""
                            WITH moved AS (DELETE FROM outbox_parked WHERE id = :id RETURNING *)
                            INSERT INTO outbox (topic, message_key, headers, verbatim_headers, payload)
                            SELECT topic, message_key, headers, verbatim_headers, payload FROM moved""")
                    .bind("id", id).execute() == 1;
            handle.execute("NOTIFY outbox"); // wakes the active relay at commit (RelayWakeup)
            return moved;
        });
    }

    @Override
    public boolean drop(long id) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM outbox_parked WHERE id = :id").bind("id", id).execute() == 1);
    }
}
