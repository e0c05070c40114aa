package org.orderflow.messaging.consumer;

import org.orderflow.messaging.MessagingException;

/** Thrown by a handler for an event that can never be applied: it goes to the dead-letter queue at once. */
public class PoisonEventException extends MessagingException {
    public PoisonEventException(String message) {
        super(message);
    }
}
