package org.orderflow.devstack;

/** A local server could not be prepared, started or stopped; the message says what to do about it. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
