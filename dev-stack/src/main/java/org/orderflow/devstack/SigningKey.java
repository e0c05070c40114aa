package org.orderflow.devstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The local stack's and the tests' token issuer: an RSA key that signs bearer tokens, and its public half as the JWKS
 * the services verify them against ({@code AUTH_JWKS_FILE}). What an OpenID Connect provider (Keycloak, ...) is in a
 * deployment; never used there.
 */
public final class SigningKey {
    public static final String ISSUER = "http://localhost/orderflow-local";
    public static final String AUDIENCE = "orderflow";
    /** The role claim value that makes a token an operator's ({@code AUTH_OPERATOR_ROLE}'s default). */
    public static final String OPERATOR_ROLE = "orderflow-operator";

    private final RSAKey key;
    private final Clock clock;

    private SigningKey(RSAKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** A new key with a random key id. */
    public static SigningKey generate(Clock clock) {
        try {
            return new SigningKey(new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate(), clock);
        } catch (JOSEException e) {
            throw new StackException("Cannot generate an RSA key", e);
        }
    }

    /** The key saved by {@link #save}. */
    public static SigningKey load(Path privateKeyFile, Clock clock) {
        try {
            return new SigningKey(RSAKey.parse(Files.readString(privateKeyFile)), clock);
        } catch (IOException | ParseException e) {
            throw new StackException("Cannot read the signing key " + privateKeyFile + ": " + e.getMessage(), e);
        }
    }

    /** Writes the private key (readable by its owner only) and the JWKS of its public half. */
    public void save(Path privateKeyFile, Path jwksFile) {
        try {
            Files.createDirectories(privateKeyFile.toAbsolutePath().getParent());
            Files.writeString(privateKeyFile, key.toJSONString());
            try {
                Files.setPosixFilePermissions(privateKeyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions keeps its defaults
            }
            Files.writeString(jwksFile, jwks());
        } catch (IOException e) {
            throw new StackException("Cannot write the signing key to " + privateKeyFile, e);
        }
    }

    /** The JWKS of the public half: what the services verify tokens against. */
    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A customer's token: subject {@code customerId}, no role. */
    public String customerToken(String customerId, Duration lifetime) {
        return sign(claims(customerId, lifetime).build());
    }

    /** An operator's token: subject {@code subject}, the operator role in {@code roles}. */
    public String operatorToken(String subject, Duration lifetime) {
        return sign(claims(subject, lifetime).claim("roles", List.of(OPERATOR_ROLE)).build());
    }

    /** The usual claims of a token of this issuer for this audience, valid from now for {@code lifetime}. */
    public JWTClaimsSet.Builder claims(String subject, Duration lifetime) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime))).jwtID(UUID.randomUUID().toString());
    }

    /** {@code claims} signed with this key (RS256), as a compact JWS. */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new StackException("Cannot sign a token", e);
        }
    }

    /**
     * An operator's token of the local stack's issuer ({@code make up} made its key under {@code stackDir/auth}), for
     * the load generators and checks that drive that stack.
     */
    public static String localOperatorToken(Path stackDir, Duration lifetime) {
        return load(stackDir.resolve("auth").resolve("signing-key.json"), Clock.systemUTC()).operatorToken("operator", lifetime);
    }

    /** The services' settings that trust this key, its JWKS saved at {@code jwksFile}. */
    public static Map<String, String> serviceEnvironment(Path jwksFile) {
        return Map.of("AUTH_JWKS_FILE", jwksFile.toString(), "AUTH_ISSUER", ISSUER, "AUTH_AUDIENCE", AUDIENCE);
    }
}
