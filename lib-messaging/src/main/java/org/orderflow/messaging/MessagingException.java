package org.orderflow.messaging;

/** Root of the unchecked exceptions of lib-messaging. */
public class MessagingException extends RuntimeException {
    public MessagingException(String message) {
        super(message);
    }

    public MessagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
