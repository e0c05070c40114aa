package org.orderflow.outbox;

import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.orderflow.outbox.internal.JdbiOutbox;

/**
 * Appends messages to the outbox table inside the caller's transaction: they are published if and only if that
 * transaction commits, at least once, and in append order per key. Stateless and thread-safe.
 *
 * <p>The table comes from the Flyway migrations at {@link #MIGRATIONS}; publishing is the job of the
 * {@link OutboxRelay} this outbox creates ({@link #relay}), which its commits wake in-process.
 */
public interface Outbox {
    /** Classpath location of this library's Flyway migrations. */
    String MIGRATIONS = "db/outbox";

    static Outbox create() {
        return new JdbiOutbox();
    }

    /**
     * The relay that publishes what this outbox appends to {@code dataSource}'s database; not started. The commits of
     * this outbox's transactions wake it at once when it is the active relay.
     */
    OutboxRelay relay(DataSource dataSource, RelayConfig config);

    /** Appends in the transaction {@code handle} is in (the caller opens and commits it). */
    void append(Handle handle, OutboxMessage message);

    /** Appends several messages in one round trip, in list order. */
    void appendAll(Handle handle, List<OutboxMessage> messages);
}
