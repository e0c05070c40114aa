package org.orderflow.messaging.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.orderflow.messaging.Json;
import org.orderflow.messaging.MessagingException;

/**
 * The JSON Schema of each event type, from {@code schemas/<type>.schema.json} on the classpath (the pipeline's
 * schemas live in lib-messaging). Loaded once per type; thread-safe.
 */
public final class EventSchemas {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, Optional<JsonSchema>> byType = new ConcurrentHashMap<>();

    /** The validation errors of {@code payload}; a type without a schema is an error too. */
    public List<String> violations(String type, JsonNode payload) {
        Optional<JsonSchema> schema = byType.computeIfAbsent(type, EventSchemas::load);
        if (schema.isEmpty()) {
            return List.of("no JSON Schema for event type '" + type + "' (schemas/" + type + ".schema.json)");
        }
        return schema.get().validate(payload).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static Optional<JsonSchema> load(String type) {
        if (!type.matches("[A-Za-z0-9_.-]+")) {
            return Optional.empty();
        }
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream("schemas/" + type + ".schema.json")) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(FACTORY.getSchema(Json.mapper().readTree(in)));
        } catch (IOException e) {
            throw new MessagingException("Unreadable schema for " + type, e);
        }
    }
}
