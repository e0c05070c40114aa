package org.orderflow.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderflow.devstack.ManualClock;
import org.orderflow.devstack.SigningKey;
import org.orderflow.service.config.ConfigException;
import org.orderflow.service.config.Env;

class TokenVerifierTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T12:00:00Z"));
    private final SigningKey key = SigningKey.generate(clock);
    @TempDir
    Path dir;
    private Path jwks;
    private TokenVerifier verifier;

    @BeforeEach
    void trustTheKey() {
        jwks = dir.resolve("jwks.json");
        key.save(dir.resolve("signing-key.json"), jwks);
        verifier = new TokenVerifier(settings(Map.of()), clock);
    }

    @Test
    void aCustomersTokenStandsForThatCustomerOnly() throws Exception {
        Caller caller = verifier.verify(key.customerToken("cust-1", HOUR));

        assertThat(caller).isEqualTo(new Caller("cust-1", false));
        assertThat(caller.mayActFor("cust-1")).isTrue();
        assertThat(caller.mayActFor("cust-2")).isFalse();
    }

    @Test
    void theOperatorRoleInRolesScopeScpOrKeycloaksRealmRolesMakesAnOperator() throws Exception {
        assertThat(verifier.verify(key.operatorToken("ops", HOUR)).operator()).isTrue();
        assertThat(verifier.verify(key.sign(key.claims("ops", HOUR).claim("scope", "openid orderflow-operator").build())).operator()).isTrue();
        assertThat(verifier.verify(key.sign(key.claims("ops", HOUR).claim("scp", List.of("orderflow-operator")).build())).operator()).isTrue();
        assertThat(verifier.verify(key.sign(key.claims("ops", HOUR).claim("realm_access", Map.of("roles", List.of("orderflow-operator"))).build()))
                .operator()).isTrue();
        assertThat(verifier.verify(key.sign(key.claims("cust-1", HOUR).claim("scope", "openid orderflow-operators").build())).operator())
                .as("a role that only starts like it").isFalse();
    }

    @Test
    void theCustomerIdComesFromTheClaimTheSettingsName() throws Exception {
        TokenVerifier byUsername = new TokenVerifier(settings(Map.of("AUTH_CUSTOMER_CLAIM", "preferred_username")), clock);
        String keycloakLike = key.sign(key.claims("f3b1c0de-opaque", HOUR).claim("preferred_username", "cust-7").build());

        assertThat(byUsername.verify(keycloakLike)).isEqualTo(new Caller("cust-7", false));
        assertThatThrownBy(() -> byUsername.verify(key.customerToken("cust-1", HOUR))).as("without the claim")
                .isInstanceOf(InvalidTokenException.class);
        String notText = key.sign(key.claims("x", HOUR).claim("preferred_username", List.of("cust-7")).build());
        assertThatThrownBy(() -> byUsername.verify(notText)).isInstanceOf(InvalidTokenException.class)
                .hasMessage("the token's preferred_username is not a customer id");
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() {
        SigningKey stranger = SigningKey.generate(Clock.systemUTC());

        assertThatThrownBy(() -> verifier.verify(stranger.customerToken("cust-1", HOUR)))
                .isInstanceOf(InvalidTokenException.class).hasMessage("the token's signature is not from a trusted key");
    }

    @Test
    void aTokenOfAnotherIssuerOrAudienceOrWithoutSubjectIsRefused() {
        String otherIssuer = key.sign(key.claims("cust-1", HOUR).issuer("https://evil.example").build());
        String otherAudience = key.sign(key.claims("cust-1", HOUR).audience("another-api").build());
        String noSubject = key.sign(key.claims("cust-1", HOUR).subject(null).build());

        for (String token : List.of(otherIssuer, otherAudience, noSubject)) {
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class)
                    .hasMessage("the token's issuer, audience or subject is not accepted here")
                    .message().doesNotContain("evil");
        }
    }

    @Test
    void anExpiredTokenIsRefusedOnceBeyondTheClockSkew() throws Exception {
        Instant now = clock.instant();
        String withinSkew = key.sign(key.claims("cust-1", HOUR).expirationTime(Date.from(now.minusSeconds(20))).build());
        String beyondSkew = key.sign(key.claims("cust-1", HOUR).expirationTime(Date.from(now.minusSeconds(120))).build());

        assertThat(verifier.verify(withinSkew).subject()).isEqualTo("cust-1");
        assertThatThrownBy(() -> verifier.verify(beyondSkew)).isInstanceOf(InvalidTokenException.class).hasMessage("the token has expired");
    }

    @Test
    void aVerifiedTokenIsRememberedUntilItExpiresAndNoLonger() throws Exception {
        String token = key.customerToken("cust-1", HOUR);
        assertThat(verifier.verify(token).subject()).isEqualTo("cust-1");

        clock.advance(Duration.ofMinutes(59));
        assertThat(verifier.verify(token).subject()).isEqualTo("cust-1");
        clock.advance(Duration.ofSeconds(90));
        assertThat(verifier.verify(token).subject()).as("within the minute of skew").isEqualTo("cust-1");
        clock.advance(Duration.ofSeconds(61));
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessage("the token has expired");
    }

    @Test
    void theRememberedTokensAreBoundedTheExpiredForgottenFirst() throws Exception {
        TokenVerifier remembersThree = new TokenVerifier(settings(Map.of()), clock, 3);
        remembersThree.verify(key.customerToken("cust-short", Duration.ofMinutes(1)));
        remembersThree.verify(key.customerToken("cust-1", HOUR));
        remembersThree.verify(key.customerToken("cust-2", HOUR));
        clock.advance(Duration.ofMinutes(3));

        remembersThree.verify(key.customerToken("cust-3", HOUR));
        assertThat(remembersThree.remembered()).as("the expired one made room").isEqualTo(3);
        remembersThree.verify(key.customerToken("cust-4", HOUR));
        assertThat(remembersThree.remembered()).as("none expired: all forgotten").isEqualTo(1);
    }

    @Test
    void whatIsNotASignedJwtIsRefused() {
        for (String token : List.of("", "not-a-token", "a.b.c")) {
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
        }
        String unsigned = new com.nimbusds.jwt.PlainJWT(key.claims("cust-1", HOUR).build()).serialize();
        assertThatThrownBy(() -> verifier.verify(unsigned)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void aKeyRotatedIntoTheFileIsTrustedAtOnce() throws IOException, InvalidTokenException {
        SigningKey next = SigningKey.generate(clock);
        String tokenOfTheNextKey = next.customerToken("cust-1", HOUR);
        assertThatThrownBy(() -> verifier.verify(tokenOfTheNextKey)).isInstanceOf(InvalidTokenException.class);

        next.save(dir.resolve("next-key.json"), jwks);
        Files.setLastModifiedTime(jwks, FileTime.from(Instant.now().plusSeconds(1)));

        assertThat(verifier.verify(tokenOfTheNextKey).subject()).isEqualTo("cust-1");
    }

    @Test
    void authenticationNeedsTheKeysTheIssuerAndTheAudienceUnlessTurnedOff() {
        assertThatThrownBy(() -> AuthSettings.fromEnv(Env.of(Map.of()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("AUTH_JWKS_URL").hasMessageContaining("AUTH=off");
        assertThatThrownBy(() -> AuthSettings.fromEnv(Env.of(Map.of("AUTH_JWKS_FILE", jwks.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("AUTH_ISSUER and AUTH_AUDIENCE");
        assertThatThrownBy(() -> AuthSettings.fromEnv(Env.of(Map.of("AUTH_JWKS_URL", "ftp://idp/keys"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http(s) URL");
        assertThat(AuthSettings.fromEnv(Env.of(Map.of("AUTH", "off"))).enabled()).isFalse();
    }

    private AuthSettings settings(Map<String, String> extra) {
        Map<String, String> variables = new HashMap<>(SigningKey.serviceEnvironment(jwks));
        variables.putAll(extra);
        return AuthSettings.fromEnv(Env.of(variables));
    }
}
