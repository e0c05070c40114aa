package org.orderflow.devstack;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The tests' token issuer: one signing key per JVM, its JWKS in a scratch file that every service environment of
 * {@link RealServers} trusts, and the tokens tests send ({@link TestHttp} sends an operator's unless told otherwise).
 */
public final class TestTokens {
    /** Longer than any test run: a token must not expire in the middle of the suite. */
    private static final Duration LIFETIME = Duration.ofHours(2);
    private static final SigningKey KEY = SigningKey.generate(Clock.systemUTC());
    private static final Path JWKS = saved();
    private static final String OPERATOR = KEY.operatorToken("test-operator", LIFETIME);

    private TestTokens() {
    }

    public static SigningKey key() {
        return KEY;
    }

    /** The JWKS file the services of the tests trust. */
    public static Path jwks() {
        return JWKS;
    }

    /** An operator's token, valid for the whole run. */
    public static String operator() {
        return OPERATOR;
    }

    /** A token of customer {@code customerId}, valid for the whole run. */
    public static String customer(String customerId) {
        return KEY.customerToken(customerId, LIFETIME);
    }

    private static Path saved() {
        Path dir = ScratchDirectory.create("auth");
        ScratchDirectory.deleteOnExit(dir);
        KEY.save(dir.resolve("signing-key.json"), dir.resolve("jwks.json"));
        return dir.resolve("jwks.json");
    }
}
