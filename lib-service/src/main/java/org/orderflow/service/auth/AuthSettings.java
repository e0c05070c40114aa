package org.orderflow.service.auth;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.orderflow.service.config.ConfigException;
import org.orderflow.service.config.Env;

/**
 * How a service authenticates its API's callers: OAuth 2.0 bearer JWTs from any OpenID Connect provider.
 *
 * <pre>
 *   AUTH                on (the default) or off: every request allowed, said loudly at start (demos only)
 *   AUTH_JWKS_URL       the provider's JWKS (Keycloak: https://idp/realms/&lt;realm&gt;/protocol/openid-connect/certs);
 *                       fetched, cached and fetched again for a key id it does not know (rotation)
 *   AUTH_JWKS_FILE      or a JWKS file (the local stack's), read again when it changes
 *   AUTH_ISSUER         the tokens' iss, exactly
 *   AUTH_AUDIENCE       an aud the tokens must carry
 *   AUTH_CLOCK_SKEW     tolerance on exp and nbf (60s, at most 5m)
 *   AUTH_OPERATOR_ROLE  the role or scope that makes a caller an operator (orderflow-operator), found in scope, scp,
 *                       roles or Keycloak's realm_access.roles
 *   AUTH_CUSTOMER_CLAIM the claim that holds the caller's customer id (sub); another when the provider's subjects are
 *                       its own opaque ids (Keycloak: preferred_username, or a claim its mapper adds)
 * </pre>
 */
public record AuthSettings(boolean enabled, Optional<URI> jwksUrl, Optional<Path> jwksFile, String issuer, String audience,
                           Duration clockSkew, String operatorRole, String customerClaim) {
    private static final Duration LONGEST_SKEW = Duration.ofMinutes(5);

    /** Authentication off: {@link Caller#OPEN} for every request. */
    public static AuthSettings off() {
        return new AuthSettings(false, Optional.empty(), Optional.empty(), "", "", Duration.ZERO, "", "");
    }

    public static AuthSettings fromEnv(Env env) {
        boolean enabled = env.oneOf("AUTH", List.of("on", "off"), "on").equals("on");
        Optional<URI> url = env.secret("AUTH_JWKS_URL").map(AuthSettings::httpUrl);
        Optional<Path> file = env.path("AUTH_JWKS_FILE");
        String issuer = env.string("AUTH_ISSUER", "").trim();
        String audience = env.string("AUTH_AUDIENCE", "").trim();
        Duration skew = env.duration("AUTH_CLOCK_SKEW", Duration.ofSeconds(60));
        String operatorRole = env.string("AUTH_OPERATOR_ROLE", "orderflow-operator").trim();
        String customerClaim = env.string("AUTH_CUSTOMER_CLAIM", "sub").trim();
        if (!enabled) {
            return off();
        }
        if (url.isPresent() == file.isPresent()) {
            throw new ConfigException("Set one of AUTH_JWKS_URL and AUTH_JWKS_FILE (where the token signing keys are), or AUTH=off");
        }
        if (issuer.isEmpty() || audience.isEmpty()) {
            throw new ConfigException("AUTH_ISSUER and AUTH_AUDIENCE are required with AUTH=on: tokens of another issuer or audience must be refused");
        }
        if (skew.isNegative() || skew.compareTo(LONGEST_SKEW) > 0) {
            throw new ConfigException("AUTH_CLOCK_SKEW must be from 0 to 5m, got " + skew.toSeconds() + "s");
        }
        return new AuthSettings(true, url, file, issuer, audience, skew, operatorRole, customerClaim);
    }

    private static URI httpUrl(String value) {
        try {
            URI uri = URI.create(value.trim());
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("AUTH_JWKS_URL must be an http(s) URL, got '" + value + "'");
        }
    }
}
