package org.orderflow.order.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.Json;
import org.orderflow.service.http.Problem;
import org.orderflow.service.http.ProblemException;

/**
 * Safe retries of a POST, after the IETF httpapi Idempotency-Key draft. The first request with a key claims it
 * (committed at once, so that a concurrent retry sees it), then does its work and stores its response in one
 * transaction. A later request with the same key and the same body gets that response again; with another body, 422;
 * while the first is still in flight, 409. A claim whose request died or stalled (no response after 60 s) may be taken
 * over. Each claim carries its request's owner token, and the work commits only together with the claim's final
 * update while the claim is still its own: a stalled request that was taken over rolls back its work, so one key
 * never stores two orders.
 */
public final class IdempotentRequests {
    public static final String HEADER = "Idempotency-Key";
    private static final Duration ABANDONED_AFTER = Duration.ofSeconds(60);

    private final Jdbi jdbi;
    private final Duration abandonedAfter;

    public IdempotentRequests(Jdbi jdbi) {
        this(jdbi, ABANDONED_AFTER);
    }

    /** {@code abandonedAfter}: how long a claim without a response stands before a retry may take it over. */
    public IdempotentRequests(Jdbi jdbi, Duration abandonedAfter) {
        this.jdbi = jdbi;
        this.abandonedAfter = abandonedAfter;
    }

    /** Runs {@code work} in a transaction at most once per key and body; returns its response, or the stored one. */
    public Response execute(String rawKey, String body, HandleCallback<Response, RuntimeException> work) {
        String key = validKey(rawKey);
        String fingerprint = fingerprint(body);
        String owner = UUID.randomUUID().toString();
        if (!claim(key, fingerprint, owner)) {
            Stored stored = jdbi.withHandle(handle -> find(handle, key)).orElseThrow(() -> conflict("was released meanwhile; retry"));
            if (!stored.fingerprint().equals(fingerprint)) {
                throw new ProblemException(new Problem("about:blank", "Idempotency-Key reused", 422,
                        "This Idempotency-Key was used with a different request body", null, List.of()));
            }
            if (stored.response() != null) {
                return stored.response().replayed();
            }
            if (!takeOverAbandoned(key, owner)) {
                throw conflict("is still being processed; retry later");
            }
        }
        try {
            return jdbi.inTransaction(handle -> {
                Response response = work.withHandle(handle);
                int stored = handle.createUpdate("""
                                UPDATE idempotency_keys SET state = 'DONE', response_status = :status, response_body = :body,
                                       location = :location
                                WHERE idempotency_key = :key AND owner = :owner AND state = 'IN_FLIGHT'""")
                        .bind("key", key).bind("owner", owner).bind("status", response.status()).bind("body", response.body())
                        .bind("location", response.location()).execute();
                if (stored == 0) {
                    // Taken over after this request stalled: the work rolls back, the other request's stands.
                    throw conflict("was taken over by a later request while this one stalled; nothing was stored by this one");
                }
                return response;
            });
        } catch (RuntimeException failure) {
            jdbi.useHandle(handle -> handle.createUpdate("""
                            DELETE FROM idempotency_keys WHERE idempotency_key = :key AND owner = :owner AND state = 'IN_FLIGHT'""")
                    .bind("key", key).bind("owner", owner).execute());
            throw failure;
        }
    }

    private boolean claim(String key, String fingerprint, String owner) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO idempotency_keys (idempotency_key, fingerprint, state, owner)
                        VALUES (:key, :fingerprint, 'IN_FLIGHT', :owner)
                        ON CONFLICT (idempotency_key) DO NOTHING""")
                .bind("key", key).bind("fingerprint", fingerprint).bind("owner", owner).execute() == 1);
    }

    private boolean takeOverAbandoned(String key, String owner) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE idempotency_keys SET created_at = now(), owner = :owner
                        WHERE idempotency_key = :key AND state = 'IN_FLIGHT'
                          AND created_at < now() - make_interval(secs => :seconds)""")
                .bind("key", key).bind("owner", owner).bind("seconds", abandonedAfter.toSeconds()).execute() == 1);
    }

    private static Optional<Stored> find(Handle handle, String key) {
        return handle.createQuery("""
                        SELECT fingerprint, state, response_status, response_body, location FROM idempotency_keys
                        WHERE idempotency_key = :key""")
                .bind("key", key)
                .map((rs, ctx) -> new Stored(rs.getString("fingerprint"), "DONE".equals(rs.getString("state"))
                        ? new Response(rs.getInt("response_status"), rs.getString("response_body"), rs.getString("location"), false)
                        : null))
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

    private record Stored(String fingerprint, Response response) {
    }
}
