package org.orderflow.outbox;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.orderflow.outbox.internal.JdbiOutbox;

/**
 * Appends messages to the outbox table inside the caller's transaction: they are published if and only if that
 * transaction commits, at least once, and in append order per key. Stateless and thread-safe.
 *
 * <p>The table comes from the Flyway migrations at {@link #MIGRATIONS}; publishing is the {@link OutboxRelay}'s job.
 */
public interface Outbox {
    /** Classpath location of this library's Flyway migrations. */
    String MIGRATIONS = "db/outbox";

    static Outbox create() {
        return new JdbiOutbox();
    }

    /** Appends in the transaction {@code handle} is in (the caller opens and commits it). */
    void append(Handle handle, OutboxMessage message);

    /** Appends several messages in one round trip, in list order. */
    void appendAll(Handle handle, List<OutboxMessage> messages);
}
