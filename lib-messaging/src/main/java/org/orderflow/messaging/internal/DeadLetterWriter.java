package org.orderflow.messaging.internal;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a record's dead letter, with its inbox row, in a transaction of its own. When the full dead letter cannot be
 * stored for a reason retrying cannot fix (a key PostgreSQL's text cannot hold, say), a minimal one
 * ({@link DeadLetters#minimal}) under the record's position, so that the partition always moves on.
 */
final class DeadLetterWriter {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final Jdbi jdbi;
    private final CloudEventPublisher publisher;
    private final DeadLetters deadLetters;
    private final Inbox inbox = new Inbox();

    DeadLetterWriter(Jdbi jdbi, CloudEventPublisher publisher, DeadLetters deadLetters) {
        this.jdbi = jdbi;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
    }

    /** True when the record is dead-lettered (or was before); false when the database failed: retry later. */
    boolean write(Item item, Throwable failure, int attempt) {
        try {
            jdbi.useTransaction(handle -> {
                if (inbox.claimDeadLetter(handle, item)) {
                    publisher.appendVerbatim(handle, List.of(deadLetters.of(item.record(), failure, attempt)));
                }
            });
        } catch (Exception e) {
            if (Failures.isTransient(e)) {
                log.warn("Could not dead-letter {} at {}; will retry: {}", item.inboxId(), item.position(), e.toString());
                return false;
            }
            return writeMinimal(item, failure, attempt, e);
        }
        log.error("Dead-lettered event {} of order {} from {} after {} attempt(s): {}", item.inboxId(),
                item.event() == null ? item.record().key() : item.event().orderId(), item.position(), attempt, failure.toString());
        return true;
    }

    private boolean writeMinimal(Item item, Throwable failure, int attempt, Exception whyNotFull) {
        try {
            jdbi.useTransaction(handle -> {
                if (inbox.claimDeadLetter(handle, item, Item.positionId(item.record()))) {
                    publisher.appendVerbatim(handle, List.of(deadLetters.minimal(item.record(), failure, attempt, whyNotFull)));
                }
            });
        } catch (Exception e) {
            log.warn("Could not dead-letter the record at {} even minimally; will retry: {}", item.position(), e.toString());
            return false;
        }
        log.error("Dead-lettered the record at {} minimally (its full dead letter could not be stored: {}) after {} attempt(s): {}",
                item.position(), whyNotFull.toString(), attempt, failure.toString());
        return true;
    }
}
