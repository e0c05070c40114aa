package org.orderflow.messaging.internal;

import org.orderflow.messaging.MessagingException;

/** A record that can never be processed as it is (undecodable, schema violation): dead-lettered at once. */
public final class PoisonRecordException extends MessagingException {
    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
