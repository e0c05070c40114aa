package org.orderflow.order.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orderflow.messaging.Json;
import org.orderflow.order.peers.Peers;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.Input;
import org.orderflow.service.http.ProblemException;

/**
 * What the operations page reads and does across the services, through svc-order: every instance's
 * {@code GET /admin/status} at once (each bounded, one that does not answer shown as such rather than holding the
 * others), and each service's parked outbox rows, listed, retried or dropped by whichever of its instances answers.
 * The caller's token goes along: each service checks for itself that it is an operator's.
 */
final class Overview {
    private final Peers peers;
    private final Clock clock;

    Overview(Peers peers, Clock clock) {
        this.peers = peers;
        this.clock = clock;
    }

    void register(ApiRoutes operator) {
        operator.get("/ops/overview", this::overview);
        operator.get("/ops/outbox/{service}/parked", ctx -> peers.forward(ctx, service(ctx), "GET", "/admin/outbox/parked"));
        operator.post("/ops/outbox/{service}/parked/{id}/retry", ctx -> peers.forward(ctx, service(ctx), "POST", "/admin/outbox/parked/" + id(ctx) + "/retry"));
        operator.delete("/ops/outbox/{service}/parked/{id}", ctx -> peers.forward(ctx, service(ctx), "DELETE", "/admin/outbox/parked/" + id(ctx)));
    }

    /**
     * One instance as the page shows it.
     *
     * @param status its {@code GET /admin/status}, when it answered with one
     * @param error  why there is no status: no answer, or the problem it answered
     */
    record Instance(String service, String url, JsonNode status, String error) {
    }

    record Report(List<Instance> instances, Instant at) {
    }

    private void overview(Context ctx) {
        String authorization = ctx.header("Authorization");
        List<CompletableFuture<Instance>> asked = new ArrayList<>();
        peers.urls().instances().forEach((service, urls) -> urls.forEach(url -> asked.add(ask(service, url, authorization))));
        ctx.json(new Report(asked.stream().map(CompletableFuture::join).toList(), clock.instant()));
    }

    private CompletableFuture<Instance> ask(String service, URI url, String authorization) {
        return peers.send(url, "GET", "/admin/status", authorization).handle((answer, failure) -> {
            if (failure != null) {
                return new Instance(service, url.toString(), null, "no answer: " + Peers.reason(failure));
            }
            try {
                JsonNode body = Json.mapper().readTree(answer.body());
                if (answer.status() == 200) {
                    return new Instance(service, url.toString(), body, null);
                }
                return new Instance(service, url.toString(), null, answer.status() + " " + body.path("detail").asText(body.path("title").asText("")));
            } catch (Exception e) {
                return new Instance(service, url.toString(), null, "answered " + answer.status() + " with a body that is not JSON");
            }
        });
    }

    private String service(Context ctx) {
        String service = ctx.pathParam("service");
        if (!peers.urls().instances().containsKey(service)) {
            throw ProblemException.notFound("No service " + service + "; SERVICE_URLS names " + String.join(", ", peers.urls().instances().keySet()));
        }
        return service;
    }

    private static long id(Context ctx) {
        return Input.pathId(ctx, "id", "a parked row");
    }
}
