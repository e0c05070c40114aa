package org.orderflow.service;

/**
 * A service's refusal in its own terms, not HTTP's: what was asked for does not exist, or contradicts what has
 * happened. Services throw it; the HTTP layer maps it to problem+json in one place (404, 409), and a consumer's
 * handler that lets it out has its event retried and then dead-lettered like any other failure.
 */
public final class DomainException extends ServiceException {
    /** What kind of refusal it is. */
    public enum Kind {
        /** The thing asked about does not exist. */
        NOT_FOUND,
        /** The request contradicts the thing's state (an order that shipped cannot be cancelled). */
        CONFLICT
    }

    private final Kind kind;

    private DomainException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static DomainException notFound(String message) {
        return new DomainException(Kind.NOT_FOUND, message);
    }

    public static DomainException conflict(String message) {
        return new DomainException(Kind.CONFLICT, message);
    }

    public Kind kind() {
        return kind;
    }
}
