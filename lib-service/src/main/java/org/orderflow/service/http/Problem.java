package org.orderflow.service.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, served as {@code application/problem+json}. {@code errors} is our extension member:
 * one entry per invalid field, so a client can show each message next to its field.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, List.of());
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errors);
    }

    /** One invalid field: its JSON path ({@code items[0].quantity}) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
