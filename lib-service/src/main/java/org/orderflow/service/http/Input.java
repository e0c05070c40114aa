package org.orderflow.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.orderflow.messaging.Json;

/**
 * The bounds every input meets before a handler sees it, so that no request can store what PostgreSQL, the logs or
 * an event's schema cannot take: text holds no control characters (NUL among them) and has a maximum length; a body
 * is a JSON value, not {@code null}. Violations are 400 problems naming the field.
 */
public final class Input {
    /** The longest path or query parameter: ids are at most 100 characters, and nothing else comes that way. */
    public static final int MAX_PARAMETER_LENGTH = 200;

    private Input() {
    }

    /** Checks every path and query parameter of the request; {@link ApiRoutes} does so before each handler. */
    public static void checkParameters(Context ctx) {
        List<Problem.FieldError> errors = new java.util.ArrayList<>();
        ctx.pathParamMap().forEach((name, value) -> text(errors, name, value, MAX_PARAMETER_LENGTH));
        for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            text(errors, parameter.getKey(), parameter.getKey(), MAX_PARAMETER_LENGTH);
            parameter.getValue().forEach(value -> text(errors, parameter.getKey(), value, MAX_PARAMETER_LENGTH));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("A parameter of the request is not valid", errors);
        }
    }

    /** The body as {@code type}; 400 when it is not JSON of that shape, empty, or the JSON {@code null}. */
    public static <T> T body(Context ctx, Class<T> type) {
        T body;
        try {
            body = ctx.body().isBlank() ? null : Json.mapper().readValue(ctx.body(), type);
        } catch (JsonProcessingException e) {
            throw new ProblemException(HttpApi.unreadableBody(e));
        }
        if (body == null) {
            throw ProblemException.badRequest("The body must be a JSON object", List.of(new Problem.FieldError("body", "is required")));
        }
        return body;
    }

    /**
     * Adds a field error when {@code value} is too long or holds control characters. Null passes: a required field is
     * checked for presence by its caller.
     */
    public static void text(List<Problem.FieldError> errors, String field, String value, int maxLength) {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength) {
            errors.add(new Problem.FieldError(field, "must be at most " + maxLength + " characters"));
        } else if (hasControlCharacters(value)) {
            errors.add(new Problem.FieldError(field, "must not contain control characters (such as NUL, tab or line breaks)"));
        }
    }

    static boolean hasControlCharacters(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
