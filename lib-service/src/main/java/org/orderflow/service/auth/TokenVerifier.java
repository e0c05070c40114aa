package org.orderflow.service.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies bearer tokens with Nimbus JOSE + JWT: signed (RS256/384/512, PS256/384/512, ES256/384/512) by a key of the
 * JWKS, typed JWT or at+jwt (RFC 9068) or untyped, from the issuer, for the audience, with a customer id (its
 * {@code sub}, or the claim {@code AUTH_CUSTOMER_CLAIM} names), not expired
 * (within the clock skew). The caller is an operator when the operator role is among the token's {@code scope},
 * {@code scp}, {@code roles} or Keycloak's {@code realm_access.roles}. Thread-safe.
 *
 * <p>A verified token is remembered until it expires (at most {@value #REMEMBERED} tokens), so that a client sending its
 * token with every request has it checked once, not a thousand times a second: the signature check (RSA, EC) and the
 * claims' parsing cost more than the request they guard. The cost: a key removed from the JWKS stops new tokens at once
 * but not those verified before, which stay valid until their {@code exp}, as they would in any cache of the provider's
 * keys. Keep token lifetimes short.
 */
public final class TokenVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private static final int REMEMBERED = 10_000;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String operatorRole;
    private final String customerClaim;
    private final Duration clockSkew;
    private final Clock clock;
    private final int mostRemembered;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /** A token's caller, and until when the token may be used: its {@code exp} plus the clock skew. */
    private record Verified(Caller caller, Instant usableUntil) {
    }

    /** {@code clock}: the time tokens are checked against (their {@code exp} and {@code nbf}). */
    public TokenVerifier(AuthSettings settings, Clock clock) {
        this(settings, clock, REMEMBERED);
    }

    TokenVerifier(AuthSettings settings, Clock clock, int mostRemembered) {
        this.mostRemembered = mostRemembered;
        if (!settings.enabled()) {
            throw new IllegalArgumentException("authentication is off: there is nothing to verify");
        }
        this.operatorRole = settings.operatorRole();
        this.customerClaim = settings.customerClaim();
        this.clockSkew = settings.clockSkew();
        this.clock = clock;
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys(settings)));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of(settings.customerClaim(), "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The caller {@code token} stands for; InvalidTokenException with a reason safe to send back. */
    public Caller verify(String token) throws InvalidTokenException {
        Verified known = verified.get(token);
        if (known != null && clock.instant().isBefore(known.usableUntil())) {
            return known.caller();
        }
        JWTClaimsSet claims = process(token);
        Caller caller = new Caller(customerId(claims), hasOperatorRole(claims));
        remember(token, new Verified(caller, claims.getExpirationTime().toInstant().plus(clockSkew)));
        return caller;
    }

    private void remember(String token, Verified caller) {
        if (verified.size() >= mostRemembered) {
            Instant now = clock.instant();
            verified.values().removeIf(entry -> !now.isBefore(entry.usableUntil()));
            if (verified.size() >= mostRemembered) {
                verified.clear();
            }
        }
        verified.put(token, caller);
    }

    private String customerId(JWTClaimsSet claims) throws InvalidTokenException {
        if (claims.getClaim(customerClaim) instanceof String id && !id.isBlank()) {
            return id;
        }
        throw new InvalidTokenException("the token's " + customerClaim + " is not a customer id");
    }

    int remembered() {
        return verified.size();
    }

    private JWTClaimsSet process(String token) throws InvalidTokenException {
        try {
            return processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("the token is not a JWT");
        } catch (ExpiredJWTException e) {
            throw new InvalidTokenException("the token has expired");
        } catch (BadJWTException e) {
            // Nimbus's messages for claims name the expected values, never the token's: "JWT aud claim has value
            // [...], must be ..." is the one exception, so claims failures get one fixed text.
            throw new InvalidTokenException("the token's issuer, audience or subject is not accepted here");
        } catch (BadJOSEException e) {
            throw new InvalidTokenException("the token's signature is not from a trusted key");
        } catch (JOSEException e) {
            throw new InvalidTokenException("the token cannot be verified");
        }
    }

    private boolean hasOperatorRole(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (scope instanceof String text && List.of(text.split(" ")).contains(operatorRole)) {
            return true;
        }
        return contains(claims.getClaim("scp")) || contains(claims.getClaim("roles"))
                || (claims.getClaim("realm_access") instanceof Map<?, ?> realm && contains(realm.get("roles")));
    }

    private boolean contains(Object claim) {
        if (claim instanceof String text) {
            return List.of(text.split(" ")).contains(operatorRole);
        }
        return claim instanceof Collection<?> values && values.contains(operatorRole);
    }

    private static JWKSource<SecurityContext> keys(AuthSettings settings) {
        if (settings.jwksFile().isPresent()) {
            return new FileJwkSource(settings.jwksFile().get());
        }
        try {
            // Cached; fetched again for an unknown key id (rotation), rate-limited; retried once on a network error.
            return JWKSourceBuilder.create(settings.jwksUrl().orElseThrow().toURL()).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("AUTH_JWKS_URL is not a URL: " + settings.jwksUrl().orElseThrow(), e);
        }
    }
}
