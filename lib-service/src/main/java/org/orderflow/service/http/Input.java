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

    /**
     * The query parameter {@code name} as a whole number from 1 to {@code max}; {@code defaultValue} when it is absent
     * or blank; else 400 naming it.
     */
    public static int queryNumber(Context ctx, String name, int defaultValue, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= 1 && number <= max) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ProblemException.badRequest("Invalid query parameter '" + name + "'",
                List.of(new Problem.FieldError(name, "must be a whole number from 1 to " + max)));
    }

    /** The path parameter {@code name} as a row id (a whole number); else 400 saying it must be {@code what}'s id. */
    public static long pathId(Context ctx, String name, String what) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("Invalid path parameter '" + name + "'",
                    List.of(new Problem.FieldError(name, "must be " + what + "'s id, a whole number")));
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
