package org.orderflow.order.ops;

import io.javalin.http.Context;
import java.util.List;
import org.orderflow.service.http.Problem;
import org.orderflow.service.http.ProblemException;

/** The query parameters of the operations routes: whole numbers within bounds, else a 400 naming the parameter. */
final class OpsQuery {
    private OpsQuery() {
    }

    static int limit(Context ctx, int defaultValue, int max) {
        return wholeNumber(ctx, "limit", defaultValue, max);
    }

    static int wholeNumber(Context ctx, String name, int defaultValue, int max) {
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
}
