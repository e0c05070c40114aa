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
    static final String REPLAYED = "REPLAYED";

    private static final String CLAIM = """
            INSERT INTO processed_events (event_id, topic, kafka_partition, kafka_offset, outcome)
            SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:topics AS text[]), CAST(:partitions AS int[]),
                                 CAST(:offsets AS bigint[]), CAST(:outcomes AS text[]))
            ON CONFLICT (event_id) DO UPDATE SET outcome = EXCLUDED.outcome, processed_at = now()
                WHERE processed_events.outcome = 'DEAD_LETTERED' AND EXCLUDED.outcome = 'REPLAYED'
            RETURNING event_id""";

    /**
     * Inserts the items' ids in one statement; returns those that were not there yet (to be applied now), and those
     * of replays of dead-lettered events, which are let through once. An id twice in the batch is claimed once (an
     * upsert may touch a row once per statement): its second copy is a duplicate.
     */
    Set<String> claim(Handle handle, List<Item> batch) {
        Set<String> seen = new HashSet<>();
        List<Item> items = batch.stream().filter(item -> seen.add(item.inboxId())).toList();
        if (items.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(handle.createQuery(CLAIM)
                .bind("ids", SqlArrays.text(items.stream().map(Item::inboxId).toList()))
                .bind("topics", SqlArrays.text(items.stream().map(item -> item.record().topic()).toList()))
                .bind("partitions", SqlArrays.integers(items.stream().map(item -> item.record().partition()).toList()))
                .bind("offsets", SqlArrays.longs(items.stream().map(item -> item.record().offset()).toList()))
                .bind("outcomes", SqlArrays.text(items.stream().map(Inbox::outcomeOf).toList()))
                .mapTo(String.class)
                .list());
    }

    private static String outcomeOf(Item item) {
        return item.isPoison() ? DEAD_LETTERED : item.isReplay() ? REPLAYED : APPLIED;
    }

    /**
     * Claims one record as dead-lettered; false when it was processed before. A replay that fails again is
     * dead-lettered again (its earlier dead letter stays as it was).
     */
    boolean claimDeadLetter(Handle handle, Item item) {
        return claimDeadLetter(handle, item, item.inboxId());
    }

    /** {@link #claimDeadLetter(Handle, Item)} under another id: the record's position, for a minimal dead letter. */
    boolean claimDeadLetter(Handle handle, Item item, String id) {
        return handle.createUpdate("""
                        INSERT INTO processed_events (event_id, topic, kafka_partition, kafka_offset, outcome)
                        VALUES (:id, :topic, :partition, :offset, :outcome)
                        ON CONFLICT (event_id) DO UPDATE SET processed_at = now()
                            WHERE processed_events.outcome = 'DEAD_LETTERED' AND :replay""")
                .bind("id", id)
                .bind("replay", item.isReplay())
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
