package org.orderflow.service.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.orderflow.messaging.Json;
import org.orderflow.service.config.HttpSettings;

/**
 * What every service's HTTP server refuses and answers beyond its routes: the limits of {@link HttpSettings} (body,
 * headers, idle clients), the security headers of an API that serves personal data, and problem+json for the errors
 * Jetty answers itself before a route runs (431 headers too large, 400 malformed request).
 */
final class Hardening {
    private Hardening() {
    }

    static void apply(JavalinConfig config, HttpSettings http) {
        config.http.maxRequestSize = http.maxBodyBytes();
        config.jetty.modifyHttpConfiguration(jetty -> {
            jetty.setRequestHeaderSize(http.maxHeaderBytes());
            jetty.setIdleTimeout(http.idleTimeout().toMillis());
            jetty.setSendServerVersion(false);
        });
        config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
        config.routes.before(Hardening::securityHeaders);
    }

    /**
     * OWASP's headers for a REST API: nothing is cached on the way (orders are personal data), a response is never
     * sniffed into another type, framed, or allowed to load anything, and no referrer leaks an order's URL.
     */
    private static void securityHeaders(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    /** Jetty's own error answers as problem+json, like every other error of the API. */
    private static final class ProblemErrorHandler extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            String title = HttpApi.reason(code);
            Problem problem = Problem.of(code, title, message == null || message.isBlank() ? title : message)
                    .withInstance(request.getHttpURI().getPath());
            try {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpApi.PROBLEM_JSON);
                response.write(true, ByteBuffer.wrap(Json.mapper().writeValueAsBytes(problem)), callback);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                callback.failed(e);
            }
        }
    }
}
