package org.orderflow.service.auth;

/**
 * A bearer token that cannot be trusted: malformed, signed by no key of the JWKS, from another issuer or for another
 * audience, expired. Its message is safe to send back ({@code WWW-Authenticate}'s error_description): it never
 * repeats a claim's value.
 */
public final class InvalidTokenException extends Exception {
    public InvalidTokenException(String reason) {
        super(reason);
    }
}
