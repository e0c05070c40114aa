package org.orderflow.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A plain HTTP client for tests that call a service over real HTTP on localhost, as an operator ({@link TestTokens})
 * unless the headers given carry an {@code Authorization} of their own.
 */
public final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestHttp() {
    }

    public static Response get(int port, String path) {
        return get(port, path, Map.of());
    }

    public static Response get(int port, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path)).GET();
        withHeaders(request, headers);
        return send(request);
    }

    public static Response post(int port, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        withHeaders(request, headers);
        return send(request);
    }

    /** A request with any method, body and {@code Authorization} ("" for none). */
    public static Response send(int port, String method, String path, String json, String authorization) {
        return send(withHeaders(HttpRequest.newBuilder(uri(port, path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)), Map.of("Authorization", authorization)));
    }

    public static Response put(int port, String path, String json) {
        return send(withHeaders(HttpRequest.newBuilder(uri(port, path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), Map.of()));
    }

    /** {@code headers}, and an operator's token unless they name an Authorization: "" sends none at all. */
    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach((name, value) -> {
            if (!value.isEmpty()) {
                request.header(name, value);
            }
        });
        if (headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            request.header("Authorization", "Bearer " + TestTokens.operator());
        }
        return request;
    }

    private static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(""), response.headers().firstValue("Retry-After").orElse(""),
                    response.headers().firstValue("traceresponse").orElse(""), response.body(), response.headers());
        } catch (IOException e) {
            throw new StackException("HTTP request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted", e);
        }
    }

    /** Status, the headers tests look at ({@code traceresponse}: the trace the request was served in), and the body. */
    public record Response(int status, String contentType, String location, String retryAfter, String traceResponse, String body,
                           java.net.http.HttpHeaders headers) {
        /** The first value of header {@code name}, "" when absent. */
        public String header(String name) {
            return headers.firstValue(name).orElse("");
        }
    }
}
