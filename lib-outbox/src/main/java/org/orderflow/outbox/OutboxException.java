package org.orderflow.outbox;

/** Root of the unchecked exceptions of lib-outbox. */
public class OutboxException extends RuntimeException {
    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
