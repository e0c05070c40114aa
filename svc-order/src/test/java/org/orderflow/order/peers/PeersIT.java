package org.orderflow.order.peers;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.TestHttp;

/**
 * svc-order's forwarding over real HTTP: a peer that answers as svc-notification does when it refuses a token or is
 * busy, and svc-order's route in front of it, as its pages call it.
 */
class PeersIT {
    private static final String REFUSED = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401}";

    private HttpServer peer;
    private Javalin front;

    @BeforeEach
    void start() throws IOException {
        peer = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        peer.createContext("/refused", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"orderflow\", error=\"invalid_token\", error_description=\"expired\"");
            answer(exchange, 401, REFUSED);
        });
        peer.createContext("/busy", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.getResponseHeaders().add("Retry-After", "2");
            exchange.getResponseHeaders().add("X-Internal", "not for the browser");
            answer(exchange, 503, "{\"status\":503}");
        });
        peer.start();
        // svc-notification's first instance is down: the call goes on to the one that answers.
        Peers peers = new Peers(ServiceUrls.parse("svc-order=http://localhost:1,svc-inventory=http://localhost:1,svc-warehouse=http://localhost:1,"
                + "svc-shipper=http://localhost:1,svc-notification=http://localhost:1,svc-notification=http://localhost:" + peer.getAddress().getPort()));
        front = Javalin.create(config -> {
            config.routes.get("/refused", ctx -> peers.forward(ctx, "svc-notification", "GET", "/refused"));
            config.routes.get("/busy", ctx -> peers.forward(ctx, "svc-notification", "GET", "/busy"));
        }).start("localhost", 0);
    }

    @AfterEach
    void stop() {
        front.stop();
        peer.stop(0);
    }

    @Test
    void aRefusalReachesTheCallerWithHowToAuthenticate() {
        TestHttp.Response refused = TestHttp.get(front.port(), "/refused");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"orderflow\", error=\"invalid_token\", error_description=\"expired\"");
        assertThat(refused.body()).isEqualTo(REFUSED);
    }

    @Test
    void aBusyAnswerKeepsItsRetryAfterAndNothingElseOfThePeersHeaders() {
        TestHttp.Response busy = TestHttp.get(front.port(), "/busy");

        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.retryAfter()).isEqualTo("2");
        assertThat(busy.header("X-Internal")).isEmpty();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
