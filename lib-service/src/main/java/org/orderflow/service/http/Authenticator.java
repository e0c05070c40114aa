package org.orderflow.service.http;

import io.javalin.http.Context;
import java.time.Clock;
import java.util.Optional;
import org.orderflow.service.auth.AuthSettings;
import org.orderflow.service.auth.Caller;
import org.orderflow.service.auth.InvalidTokenException;
import org.orderflow.service.auth.TokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a request comes from: the caller its {@code Authorization: Bearer} token stands for, or a 401 problem with the
 * challenge of RFC 6750. With authentication off, {@link Caller#OPEN}.
 */
final class Authenticator {
    static final String CALLER = "orderflow.caller";
    private static final String REALM = "Bearer realm=\"orderflow\"";

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    private final Optional<TokenVerifier> verifier;

    Authenticator(AuthSettings settings, String serviceName) {
        this.verifier = settings.enabled() ? Optional.of(new TokenVerifier(settings, Clock.systemUTC())) : Optional.empty();
        if (settings.enabled()) {
            log.info("Bearer tokens of {} for {} are required, signed by a key of {}; operators have the role {}",
                    settings.issuer(), settings.audience(), settings.jwksUrl().map(Object::toString)
                            .orElseGet(() -> settings.jwksFile().orElseThrow().toString()), settings.operatorRole());
        } else {
            log.warn("AUTH=off: {} is OPEN. Every route serves anyone who reaches its port with an operator's rights:"
                    + " every customer's orders, cancelling them, changing stock. For a demo on one machine only; set"
                    + " AUTH_JWKS_URL (or AUTH_JWKS_FILE), AUTH_ISSUER and AUTH_AUDIENCE and remove AUTH=off.", serviceName);
        }
    }

    Caller authenticate(Context ctx) {
        if (verifier.isEmpty()) {
            return Caller.OPEN;
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw ProblemException.unauthorized("This route needs a bearer token (Authorization: Bearer <token>)", REALM);
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemException.unauthorized("Only bearer tokens are accepted", REALM + ", error=\"invalid_request\"");
        }
        try {
            return verifier.get().verify(header.substring(7).trim());
        } catch (InvalidTokenException e) {
            throw ProblemException.unauthorized("The bearer token is not accepted: " + e.getMessage(),
                    REALM + ", error=\"invalid_token\", error_description=\"" + e.getMessage() + "\"");
        }
    }
}
