package org.orderflow.outbox.internal;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Which refusals of a record retrying cannot fix: the same record sent again is refused again, and left at the head of
 * the outbox it would hold back every row behind it. Such a row is parked instead.
 */
final class Refusals {
    private Refusals() {
    }

    static boolean isPermanent(Throwable error) {
        return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidTopicException || error instanceof TopicAuthorizationException
                || error instanceof SerializationException;
    }
}
