package org.orderflow.service;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;
import org.orderflow.messaging.Printable;
import org.orderflow.outbox.OutboxAdmin;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.Input;
import org.orderflow.service.http.ProblemException;

/**
 * The rows the service's relay parked, for operators over HTTP as `orderflow outbox parked` has them on the command
 * line: list them, retry one (back at the outbox's tail, published again) or drop it for good. Any instance answers
 * for the service: they share its database.
 */
final class OutboxRoutes {
    private final OutboxAdmin admin;

    OutboxRoutes(OutboxAdmin admin) {
        this.admin = admin;
    }

    void register(ApiRoutes operator) {
        operator.get("/admin/outbox/parked", ctx -> ctx.json(Map.of("parked_rows", admin.parked().stream().map(ParkedRowView::of).toList())));
        operator.post("/admin/outbox/parked/{id}/retry", ctx -> {
            long id = id(ctx);
            if (!admin.retry(id)) {
                throw ProblemException.notFound("No parked row " + id);
            }
            ctx.json(Map.of("id", id, "outcome", "back in the outbox"));
        });
        operator.delete("/admin/outbox/parked/{id}", ctx -> {
            long id = id(ctx);
            if (!admin.drop(id)) {
                throw ProblemException.notFound("No parked row " + id);
            }
            ctx.status(204);
        });
    }

    private static long id(Context ctx) {
        return Input.pathId(ctx, "id", "a parked row");
    }

    /** A parked row as a person reads it: key and payload as text (JSON pretty-printed), else hex. */
    record ParkedRowView(long id, String topic, String key, Map<String, String> headers, String payload, int payloadBytes,
                         Instant createdAt, Instant parkedAt, int attempts, String error) {
        static ParkedRowView of(OutboxAdmin.ParkedRow row) {
            return new ParkedRowView(row.id(), row.topic(), row.key(), row.headers(), Printable.payload(row.payload()), row.payload().length,
                    row.createdAt(), row.parkedAt(), row.attempts(), row.error());
        }
    }
}
