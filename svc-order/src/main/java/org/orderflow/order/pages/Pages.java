package org.orderflow.order.pages;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.orderflow.order.peers.Peers;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.ProblemException;

/**
 * The pages svc-order serves: the order tracking page at {@code /} and the operations page at {@code /ops}, static
 * files from the jar (HTML, CSS and JavaScript modules, no build step and no library), and the two reads they need from
 * other services, through svc-order with the caller's token ({@link Peers}): the catalogue and an order's notifications.
 * The pages themselves are open (they hold no data); every call they make needs a token, which the person pastes.
 */
public final class Pages {
    private static final String DIRECTORY = "pages/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "svg", "image/svg+xml");
    /** Scripts and styles from this service only, no inline script, and calls to this service only. */
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final java.util.List<String> FILES = java.util.List.of("index.html", "ops.html", "orderflow.css", "api.js",
            "track.js", "ops.js", "favicon.svg");

    private final Peers peers;
    private final Map<String, byte[]> files = new HashMap<>();

    public Pages(Peers peers) {
        this.peers = peers;
        FILES.forEach(file -> files.put(file, read(file)));
    }

    public void register(ApiRoutes routes) {
        ApiRoutes open = routes.open();
        open.get("/", ctx -> serve(ctx, "index.html"));
        open.get("/ops", ctx -> serve(ctx, "ops.html"));
        open.get("/pages/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
        routes.get("/catalogue", ctx -> peers.forward(ctx, "svc-inventory", "GET", "/products"));
        routes.get("/orders/{id}/notifications", ctx -> peers.forward(ctx, "svc-notification", "GET",
                "/notifications?order_id=" + URLEncoder.encode(ctx.pathParam("id"), StandardCharsets.UTF_8)));
    }

    private void serve(Context ctx, String file) {
        byte[] content = files.get(file);
        if (content == null) {
            throw ProblemException.notFound("No page " + ctx.path());
        }
        // Revalidated on each load: a new jar's pages are seen at once, and none holds personal data.
        ctx.header("Cache-Control", "no-cache").header("Content-Security-Policy", POLICY)
                .contentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1))).result(content);
    }

    private static byte[] read(String file) {
        try (InputStream in = Pages.class.getClassLoader().getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalStateException("The page file " + DIRECTORY + file + " is not in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
