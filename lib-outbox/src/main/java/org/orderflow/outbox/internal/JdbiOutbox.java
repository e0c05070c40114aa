package org.orderflow.outbox.internal;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.orderflow.outbox.Outbox;
import org.orderflow.outbox.OutboxException;
import org.orderflow.outbox.OutboxMessage;
import org.orderflow.outbox.OutboxRelay;
import org.orderflow.outbox.RelayConfig;

/** The {@link Outbox} on PostgreSQL: one INSERT, or one batch, in the caller's transaction, then the relay's wake-up. */
public final class JdbiOutbox implements Outbox {
    private static final String INSERT =
            """
            INSERT INTO outbox (topic, message_key, headers, verbatim_headers, payload)
            VALUES (:topic, :key, CAST(:headers AS jsonb), CAST(:verbatimHeaders AS jsonb), :payload)""";

    private final RelayWakeup wakeup = new RelayWakeup();

    @Override
    public OutboxRelay relay(DataSource dataSource, RelayConfig config) {
        return new PostgresOutboxRelay(dataSource, config, wakeup);
    }

    @Override
    public void append(Handle handle, OutboxMessage message) {
        handle.createUpdate(INSERT)
                .bind("topic", message.topic())
                .bind("key", message.key())
                .bind("headers", HeaderCodec.headersToJson(message.headers()))
                .bind("verbatimHeaders", HeaderCodec.verbatimToJson(message.verbatimHeaders()))
                .bind("payload", message.payload())
                .execute();
        wakeup.onCommitOf(handle);
    }

    @Override
    public void appendAll(Handle handle, List<OutboxMessage> messages) {
        if (messages.size() <= 1) {
            messages.forEach(message -> append(handle, message));
            return;
        }
        PreparedBatch batch = handle.prepareBatch(INSERT);
        for (OutboxMessage message : messages) {
            batch.bind("topic", message.topic())
                    .bind("key", message.key())
                    .bind("headers", HeaderCodec.headersToJson(message.headers()))
                    .bind("verbatimHeaders", HeaderCodec.verbatimToJson(message.verbatimHeaders()))
                    .bind("payload", message.payload())
                    .add();
        }
        batch.execute();
        wakeup.onCommitOf(handle);
    }
}
