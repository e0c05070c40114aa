package org.orderflow.messaging.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
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
 * schemas are in the contract module). Loaded once per type; thread-safe.
 */
public final class EventSchemas {
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Optional<Schema>> byType = new ConcurrentHashMap<>();

    /** The validation errors of {@code payload}; a type without a schema is an error too. */
    public List<String> violations(String type, JsonNode payload) {
        Optional<Schema> schema = byType.computeIfAbsent(type, EventSchemas::load);
        if (schema.isEmpty()) {
            return List.of("no JSON Schema for event type '" + type + "' (schemas/" + type + ".schema.json)");
        }
        return schema.get().validate(payload).stream().map(Error::toString).sorted().toList();
    }

    private static Optional<Schema> load(String type) {
        if (!type.matches("[A-Za-z0-9_.-]+")) {
            return Optional.empty();
        }
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream("schemas/" + type + ".schema.json")) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(SCHEMAS.getSchema(Json.mapper().readTree(in)));
        } catch (IOException e) {
            throw new MessagingException("Unreadable schema for " + type, e);
        }
    }
}
