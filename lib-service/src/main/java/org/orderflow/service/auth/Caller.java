package org.orderflow.service.auth;

import java.util.Objects;

/**
 * Who sent a request, as its verified bearer token says: a customer (the token's subject is the customer id), or an
 * operator (the token carries the operator role). With authentication off every request is {@link #OPEN}.
 *
 * @param subject  the token's {@code sub}: a customer's id, or whoever operates
 * @param operator the token carries the operator role
 */
public record Caller(String subject, boolean operator) {
    /** Every request's caller when AUTH=off: allowed everything, as the service was before authentication. */
    public static final Caller OPEN = new Caller("anonymous", true);

    public Caller {
        Objects.requireNonNull(subject, "subject");
    }

    /** A customer may see and act on what is its own; an operator on everything. */
    public boolean mayActFor(String customerId) {
        return operator || subject.equals(customerId);
    }
}
