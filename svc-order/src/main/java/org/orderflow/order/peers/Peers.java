package org.orderflow.order.peers;

import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.orderflow.service.http.HttpApi;
import org.orderflow.service.http.Problem;
import org.orderflow.service.http.ProblemException;

/**
 * svc-order's calls to the other services on behalf of its pages, with the caller's own token: each service decides
 * what the caller may see, as if the browser had asked it, while the browser talks to svc-order alone (one origin, no
 * CORS, and only svc-order need be exposed). Every call is bounded: 2 s to connect, 5 s for the answer; a service that
 * does not answer is a 502 problem naming it.
 */
public final class Peers {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final ServiceUrls urls;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    public Peers(ServiceUrls urls) {
        this.urls = urls;
    }

    public ServiceUrls urls() {
        return urls;
    }

    /**
     * The headers of a service's answer that the caller needs as they came: how to authenticate after a 401, when to
     * come back after a 429 or 503.
     */
    private static final List<String> PASSED_ON = List.of("WWW-Authenticate", "Retry-After");

    /** A service's answer as it came; {@code passedOn}: those of its headers in {@link #PASSED_ON}. */
    public record Answer(int status, String contentType, byte[] body, Map<String, String> passedOn) {
    }

    /**
     * Sends {@code method path} to the first of {@code service}'s instances that answers, with the caller's token, and
     * writes its answer to {@code ctx} as it came (status, type, body): its refusals reach the page as problems.
     */
    public void forward(Context ctx, String service, String method, String path) {
        List<URI> instances = Optional.ofNullable(urls.instances().get(service))
                .orElseThrow(() -> ProblemException.notFound("No service " + service + " in SERVICE_URLS"));
        Exception last = null;
        for (URI instance : instances) {
            try {
                Answer answer = send(instance, method, path, ctx.header("Authorization")).get();
                ctx.status(answer.status()).contentType(answer.contentType()).result(answer.body());
                answer.passedOn().forEach(ctx::header);
                return;
            } catch (ExecutionException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = e;
                break;
            }
        }
        HttpApi.respond(ctx, Problem.of(502, "Bad gateway", service + " did not answer " + method + " " + path + ": " + reason(last)));
    }

    /** Sends {@code method path} to one instance; the answer, or the failure to get one in time. */
    public CompletableFuture<Answer> send(URI instance, String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance + path)).timeout(ANSWER_TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> new Answer(response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse("application/octet-stream"), response.body(),
                        passedOn(response)));
    }

    private static Map<String, String> passedOn(HttpResponse<?> response) {
        Map<String, String> headers = new LinkedHashMap<>();
        PASSED_ON.forEach(name -> response.headers().firstValue(name).ifPresent(value -> headers.put(name, value)));
        return headers;
    }

    /** Why a call failed, for a person. */
    public static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && cause.getCause() != null && !(cause instanceof IOException)) {
            cause = cause.getCause();
        }
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
        }
        if (cause instanceof java.net.ConnectException) {
            return "connection refused or timed out";
        }
        return cause == null ? "unknown" : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
