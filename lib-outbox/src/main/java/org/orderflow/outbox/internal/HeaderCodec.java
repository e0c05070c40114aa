package org.orderflow.outbox.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.orderflow.outbox.OutboxException;
import org.orderflow.outbox.OutboxMessage.VerbatimHeader;

/**
 * The outbox's two header columns, written by the outbox and read by the relay and the admin functions through this
 * one codec. {@code headers}: a JSON object of text headers. {@code verbatim_headers}: an ordered JSON array of
 * {@code [name, value]} pairs, both base64, so that any bytes (NUL, invalid UTF-8) survive a JSONB column; null when
 * there are none.
 */
final class HeaderCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> HEADER_MAP = new TypeReference<>() {
    };

    private HeaderCodec() {
    }

    static String headersToJson(Map<String, String> headers) {
        try {
            return JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new OutboxException("Cannot encode headers " + headers, e);
        }
    }

    static Map<String, String> headersFromJson(String json) {
        try {
            return JSON.readValue(json, HEADER_MAP);
        } catch (JsonProcessingException e) {
            throw new OutboxException("Outbox row with unreadable headers: " + json, e);
        }
    }

    static String verbatimToJson(List<VerbatimHeader> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        ArrayNode pairs = JSON.createArrayNode();
        for (VerbatimHeader header : headers) {
            ArrayNode pair = pairs.addArray();
            pair.add(Base64.getEncoder().encodeToString(header.name().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            if (header.value() == null) {
                pair.addNull();
            } else {
                pair.add(Base64.getEncoder().encodeToString(header.value()));
            }
        }
        return pairs.toString();
    }

    static List<VerbatimHeader> verbatimFromJson(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            List<VerbatimHeader> headers = new ArrayList<>();
            for (JsonNode pair : JSON.readTree(json)) {
                String name = new String(Base64.getDecoder().decode(pair.get(0).asText()), java.nio.charset.StandardCharsets.UTF_8);
                byte[] value = pair.get(1).isNull() ? null : Base64.getDecoder().decode(pair.get(1).asText());
                headers.add(new VerbatimHeader(name, value));
            }
            return headers;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new OutboxException("Outbox row with unreadable verbatim headers: " + json, e);
        }
    }
}
