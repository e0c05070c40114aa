package org.orderflow.order.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.Json;
import org.orderflow.messaging.sql.SqlArrays;
import org.orderflow.service.http.Problem;
import org.orderflow.service.http.ProblemException;

/**
 * Safe retries of a POST, after the IETF httpapi Idempotency-Key draft. A request's key is claimed in the same
 * transaction that does its work and stores its response ({@link #claimAll}, then {@link #storeAll}): the key, the
 * work and the answer commit together or not at all, and a claim is never seen without its answer. A retry with the
 * same key and body gets the stored response again; with another body, 422. A retry that arrives while the first
 * request's transaction is still open waits for it on the key's unique index, at most {@link #LOCK_WAIT}, then gets
 * 409 and retries later.
 *
 * <p>Because claims travel inside the transaction of the work, keyed requests can be written in batches (group
 * commit) like any other: claiming, then storing, costs two statements per batch, not two transactions per request.
 *
 * <p>Rows of the earlier protocol (a claim committed on its own, state IN_FLIGHT, before its work) are taken over once
 * older than {@link #ABANDONED_AFTER}; until then a retry gets 409.
 */
public final class IdempotentRequests {
    public static final String HEADER = "Idempotency-Key";
    /** How long a claim waits for another open transaction holding the same key before answering 409. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(2);
    private static final Duration ABANDONED_AFTER = Duration.ofSeconds(60);

    private IdempotentRequests() {
    }

    /** The request's key (validated) and the fingerprint of its body; throws a 400 for an invalid key. */
    public static Claim claimOf(String rawKey, String body) {
        return new Claim(validKey(rawKey), fingerprint(body));
    }

    /**
     * Claims the keys in the transaction of {@code handle}; returns those it won. A key it did not win is stored
     * already (answer with {@link #storedAnswer}). Claims must have distinct keys. Waits at most {@link #LOCK_WAIT} for
     * a transaction that holds one of them; past that the statement fails with SQL state 55P03 (see {@link #isBusy}).
     */
    public static Set<String> claimAll(Handle handle, List<Claim> claims) {
        if (claims.isEmpty()) {
            return Set.of();
        }
        handle.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'");
        Set<String> won = new HashSet<>(handle.createQuery("""
                        INSERT INTO idempotency_keys (idempotency_key, fingerprint, state)
                        SELECT key, fingerprint, 'IN_FLIGHT' FROM unnest(CAST(:keys AS text[]), CAST(:fingerprints AS text[])) AS c (key, fingerprint)
                        ON CONFLICT (idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created_at = now(), owner = NULL
                        WHERE idempotency_keys.state = 'IN_FLIGHT'
                          AND idempotency_keys.created_at < now() - make_interval(secs => :abandoned)
                        RETURNING idempotency_key""")
                .bind("keys", SqlArrays.text(claims.stream().map(Claim::key).toList()))
                .bind("fingerprints", SqlArrays.text(claims.stream().map(Claim::fingerprint).toList()))
                .bind("abandoned", ABANDONED_AFTER.toSeconds())
                .mapTo(String.class).list());
        handle.execute("SET LOCAL lock_timeout TO DEFAULT");
        return won;
    }

    /** Stores the responses of the keys this transaction claimed, keyed by key. */
    public static void storeAll(Handle handle, Map<String, Response> responses) {
        if (responses.isEmpty()) {
            return;
        }
        List<String> keys = List.copyOf(responses.keySet());
        handle.createUpdate("""
                        UPDATE idempotency_keys k SET state = 'DONE', response_status = r.status, response_body = r.body, location = r.location
                        FROM unnest(CAST(:keys AS text[]), CAST(:statuses AS int[]), CAST(:bodies AS text[]), CAST(:locations AS text[]))
                             AS r (key, status, body, location)
                        WHERE k.idempotency_key = r.key""")
                .bind("keys", SqlArrays.text(keys))
                .bind("statuses", SqlArrays.integers(keys.stream().map(key -> responses.get(key).status()).toList()))
                .bind("bodies", SqlArrays.text(keys.stream().map(key -> responses.get(key).body()).toList()))
                .bind("locations", SqlArrays.text(keys.stream().map(key -> responses.get(key).location()).toList()))
                .execute();
    }

    /** The answer to a request whose key another request claimed: its stored response, a 422, or a 409. */
    public static Response storedAnswer(Handle handle, Claim claim) {
        Stored stored = find(handle, claim.key()).orElseThrow(() -> conflict("was released meanwhile; retry"));
        if (!stored.fingerprint().equals(claim.fingerprint())) {
            throw new ProblemException(new Problem("about:blank", "Idempotency-Key reused", 422,
                    "This Idempotency-Key was used with a different request body", null, List.of()));
        }
        return stored.response().map(Response::replayed).orElseThrow(() -> conflict("is still being processed; retry later"));
    }

    /** A claim that waited {@link #LOCK_WAIT} in vain: another request with the same key is being written. */
    public static boolean isBusy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The 409 for a request whose key another request is writing right now. */
    public static ProblemException inFlight() {
        return conflict("is still being processed; retry later");
    }

    private static Optional<Stored> find(Handle handle, String key) {
        return handle.createQuery("""
                        SELECT fingerprint, state, response_status, response_body, location FROM idempotency_keys
                        WHERE idempotency_key = :key""")
                .bind("key", key)
                .map((rs, ctx) -> new Stored(rs.getString("fingerprint"), "DONE".equals(rs.getString("state"))
                        ? Optional.of(new Response(rs.getInt("response_status"), rs.getString("response_body"), rs.getString("location"), false))
                        : Optional.empty()))
                .findOne();
    }

    /** The key is an sf-string: quotes are allowed around it. */
    private static String validKey(String rawKey) {
        String key = rawKey.trim();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > 255) {
            throw ProblemException.badRequest("Invalid " + HEADER + " header",
                    List.of(new Problem.FieldError(HEADER, "must be 1 to 255 characters")));
        }
        return key;
    }

    /** The same JSON, whatever its spacing and key order, has the same fingerprint. */
    static String fingerprint(String body) {
        String canonical;
        try {
            Object tree = Json.mapper().readValue(body, Object.class);
            canonical = Json.mapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            canonical = body;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static ProblemException conflict(String why) {
        return new ProblemException(new Problem("about:blank", "Request in flight", 409,
                "A request with this Idempotency-Key " + why, null, List.of()));
    }

    /** A request's Idempotency-Key and the fingerprint of its body. */
    public record Claim(String key, String fingerprint) {
    }

    /** An HTTP response to store and replay. */
    public record Response(int status, String body, String location, boolean replay) {

        public static Response json(int status, Object body, String location) {
            try {
                return new Response(status, Json.mapper().writeValueAsString(body), location, false);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Cannot serialise the response", e);
            }
        }

        Response replayed() {
            return new Response(status, body, location, true);
        }

        public void writeTo(Context ctx) {
            ctx.status(status).contentType("application/json").result(body);
            if (location != null) {
                ctx.header("Location", location);
            }
            if (replay) {
                ctx.header("Idempotent-Replayed", "true");
            }
        }
    }

    private record Stored(String fingerprint, Optional<Response> response) {
    }
}
