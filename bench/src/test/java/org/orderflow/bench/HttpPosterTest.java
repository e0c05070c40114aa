package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpPosterTest {
    private HttpServer server;
    private final Set<InetSocketAddress> clientAddresses = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/orders", exchange -> {
            clientAddresses.add(exchange.getRemoteAddress());
            byte[] body = ("{\"echo\":" + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length); // Content-Length framing
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(503, 0); // length unknown: chunked transfer coding
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"title\":".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("\"busy\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void sequentialPostsAreAnsweredOverOneKeptAliveConnection() throws Exception {
        try (HttpPoster poster = new HttpPoster(uri("/orders"), 10, "test-token")) {
            for (int i = 0; i < 3; i++) {
                Answer answer = post(poster, "{\"n\":" + i + "}");
                assertThat(answer.status).isEqualTo(201);
                assertThat(answer.body).isEqualTo("{\"echo\":{\"n\":" + i + "}}");
            }
            assertThat(poster.connections()).isEqualTo(1);
            assertThat(clientAddresses).hasSize(1);
        }
    }

    @Test
    void chunkedAnswerIsReadWhole() throws Exception {
        try (HttpPoster poster = new HttpPoster(uri("/chunked"), 10, "test-token")) {
            Answer answer = post(poster, "{}");
            assertThat(answer.status).isEqualTo(503);
            assertThat(answer.body).isEqualTo("{\"title\":\"busy\"}");
        }
    }

    @Test
    void refusedConnectionIsReportedAsAFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (HttpPoster poster = new HttpPoster(URI.create("http://localhost:" + closedPort + "/orders"), 10, "test-token")) {
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            poster.post("{}".getBytes(StandardCharsets.UTF_8), callback(answer));
            assertThat(answer).failsWithin(10, TimeUnit.SECONDS);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + server.getAddress().getPort() + path);
    }

    private static Answer post(HttpPoster poster, String body) throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        poster.post(body.getBytes(StandardCharsets.UTF_8), callback(answer));
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static HttpPoster.Callback callback(CompletableFuture<Answer> answer) {
        return new HttpPoster.Callback() {
            @Override
            public void answered(int status, String body) {
                answer.complete(new Answer(status, body));
            }

            @Override
            public void failed(Exception failure) {
                answer.completeExceptionally(failure);
            }
        };
    }

    private record Answer(int status, String body) {
    }
}
