package org.orderflow.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.orderflow.messaging.Json;
import org.orderflow.service.ServiceException;

/**
 * A service's OpenAPI document, {@code openapi/<service>.json} on its classpath (one name per service, so that
 * several services can share a classpath in a test), served at {@code GET /openapi.json}.
 */
public final class OpenApiDocument {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    private OpenApiDocument() {
    }

    /** The document's text, or null when the service has none. */
    static byte[] load(String serviceName) {
        String resource = resource(serviceName);
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new ServiceException("Cannot read " + resource, e);
        }
    }

    /** The operations the document describes, as "METHOD /path" in the form {@link Api#operations()} uses. */
    public static List<String> operations(String serviceName) {
        byte[] document = load(serviceName);
        if (document == null) {
            throw new ServiceException("No " + resource(serviceName) + " on the classpath");
        }
        try {
            List<String> operations = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> paths = Json.mapper().readTree(document).path("paths").fields();
            while (paths.hasNext()) {
                Map.Entry<String, JsonNode> path = paths.next();
                path.getValue().fieldNames().forEachRemaining(method -> {
                    if (METHODS.contains(method)) {
                        operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                });
            }
            return operations;
        } catch (IOException e) {
            throw new ServiceException(resource(serviceName) + " is not valid JSON", e);
        }
    }

    private static String resource(String serviceName) {
        return "openapi/" + serviceName + ".json";
    }
}
