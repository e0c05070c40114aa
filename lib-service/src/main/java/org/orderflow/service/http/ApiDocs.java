package org.orderflow.service.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The service's OpenAPI document in a browser: {@code GET /docs} is Swagger UI reading {@code /openapi.json}, its
 * "Authorize" button taking a bearer token for "Try it out". Swagger UI is the webjar's pinned build, served from the
 * classpath (no toolchain, no CDN), under a path that names its version so that browsers may keep it for good. Open,
 * like the document itself.
 */
final class ApiDocs {
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> ASSETS = Map.of("swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8", "favicon-32x32.png", "image/png");
    /** Swagger UI sets styles inline and draws data: images; the rest comes from this service alone. */
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
    private static final String START = """
            window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
            """;

    private ApiDocs() {
    }

    /** GET /docs, its script and Swagger UI's files, on {@code open} routes. */
    static void register(ApiRoutes open, String serviceName) {
        String version = webjarVersion();
        byte[] page = page(serviceName, version).getBytes(StandardCharsets.UTF_8);
        open.get("/docs", ctx -> ctx.header("Content-Security-Policy", POLICY).contentType("text/html; charset=utf-8").result(page));
        open.get("/docs/start.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(START));
        open.get("/docs/{version}/{file}", ctx -> asset(ctx, version));
    }

    private static void asset(Context ctx, String version) {
        String file = ctx.pathParam("file");
        String type = ASSETS.get(file);
        if (!ctx.pathParam("version").equals("swagger-ui-" + version) || type == null) {
            throw ProblemException.notFound("No file " + ctx.path());
        }
        ctx.header("Cache-Control", "public, max-age=31536000, immutable")
                .contentType(type)
                .result(ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR + version + "/" + file));
    }

    private static String page(String serviceName, String version) {
        String assets = "/docs/swagger-ui-" + version + "/";
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>%1$s API</title>
                  <link rel="icon" href="%2$sfavicon-32x32.png">
                  <link rel="stylesheet" href="%2$sswagger-ui.css">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="%2$sswagger-ui-bundle.js"></script>
                  <script src="/docs/start.js"></script>
                </body>
                </html>
                """.formatted(serviceName, assets);
    }

    private static String webjarVersion() {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("Swagger UI's webjar is not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
