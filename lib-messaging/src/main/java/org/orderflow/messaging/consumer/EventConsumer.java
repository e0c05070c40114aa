package org.orderflow.messaging.consumer;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.internal.InboxConsumer;

/**
 * Subscribes an {@link EventHandler} to topics in a consumer group and applies every event exactly once.
 *
 * <p><b>Exactly-once effects.</b> The handler runs in one database transaction together with an insert of the event
 * id into the inbox table ({@code processed_events}) and the outbox appends of what it publishes. An event whose id
 * is already in the inbox is skipped. Offsets are committed only after that transaction committed (asynchronously, at
 * most once a second, and before partitions are revoked), so a crash in between redelivers the records applied since
 * the last commit, and the inbox skips them. A handler that keys what it stores by the event's id or its order's and
 * does nothing for an id it has ({@link EventRouter.Deduplication#BY_ID}) is its own inbox: those events get no inbox
 * row.
 *
 * <p><b>Batches.</b> The records of one poll are applied in one transaction. If any of them fails, the batch is
 * rolled back and its records are applied one transaction each, so one bad record never blocks, drops or
 * double-applies the others.
 *
 * <p><b>Failures.</b> Undecodable records, schema violations and {@link PoisonEventException}: to
 * {@code DeadLetterQueue} at once. Transient failures (database unavailable, serialization failure, deadlock,
 * timeouts): retried with exponential backoff and jitter, the partition paused meanwhile, never skipped. Other
 * handler failures: retried the same way up to {@link ConsumerSettings#maxAttempts()}, then dead-lettered. The
 * dead letter keeps the original key, value and headers and adds {@code dlq_*} context headers, so it can be
 * replayed to its topic. Fatal errors (authorization, unsupported version): the consumer stops and
 * {@link #problem()} reports it, which fails the service's /ready.
 *
 * <p><b>Shutdown.</b> {@link #close()} lets each thread finish the batch in hand, commit, and leave the group.
 */
public interface EventConsumer extends AutoCloseable {
    /** Classpath location of the inbox table's Flyway migrations. */
    String MIGRATIONS = "db/inbox";

    /** A consumer applying events by {@code router}'s routing table, read as it starts. */
    static EventConsumer create(Jdbi jdbi, EventPublisher publisher, EventRouter router, ConsumerSettings settings) {
        return new InboxConsumer(jdbi, publisher, router, settings);
    }

    /** Starts the consumer threads; returns at once. */
    EventConsumer start();

    /** Empty while the consumer runs; why it stopped otherwise (for /ready). */
    Optional<String> problem();

    /** Counts since start and the lag now, read from the consumer's meters ({@link ConsumerSettings#meterRegistry()}). */
    ConsumerMetrics metrics();

    @Override
    void close();
}
