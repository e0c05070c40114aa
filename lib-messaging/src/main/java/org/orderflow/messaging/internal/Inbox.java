package org.orderflow.messaging.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.sql.SqlArrays;

/** The processed-events table: claims event ids inside the applying transaction. */
final class Inbox {
    static final String APPLIED = "APPLIED";
    static final String DEAD_LETTERED = "DEAD_LETTERED";

    private static final String CLAIM = """
            INSERT INTO processed_events (event_id, topic, kafka_partition, kafka_offset, outcome)
            SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:topics AS text[]), CAST(:partitions AS int[]),
                                 CAST(:offsets AS bigint[]), CAST(:outcomes AS text[]))
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id""";

    /** Inserts the items' ids in one statement; returns those that were not there yet (to be applied now). */
    Set<String> claim(Handle handle, List<Item> items) {
        if (items.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(handle.createQuery(CLAIM)
                .bind("ids", SqlArrays.text(items.stream().map(Item::inboxId).toList()))
                .bind("topics", SqlArrays.text(items.stream().map(item -> item.record().topic()).toList()))
                .bind("partitions", SqlArrays.integers(items.stream().map(item -> item.record().partition()).toList()))
                .bind("offsets", SqlArrays.longs(items.stream().map(item -> item.record().offset()).toList()))
                .bind("outcomes", SqlArrays.text(items.stream().map(item -> item.isPoison() ? DEAD_LETTERED : APPLIED).toList()))
                .mapTo(String.class)
                .list());
    }

    /** Claims one record as dead-lettered; false when it was processed before. */
    boolean claimDeadLetter(Handle handle, Item item) {
        return handle.createUpdate("""
                        INSERT INTO processed_events (event_id, topic, kafka_partition, kafka_offset, outcome)
                        VALUES (:id, :topic, :partition, :offset, :outcome) ON CONFLICT (event_id) DO NOTHING""")
                .bind("id", item.inboxId())
                .bind("topic", item.record().topic())
                .bind("partition", item.record().partition())
                .bind("offset", item.record().offset())
                .bind("outcome", DEAD_LETTERED)
                .execute() == 1;
    }

    int deleteOlderThan(Jdbi jdbi, Duration retention) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "DELETE FROM processed_events WHERE processed_at < now() - make_interval(secs => :seconds)")
                .bind("seconds", (double) retention.toSeconds())
                .execute());
    }
}
