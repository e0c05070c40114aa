package org.orderflow.order.orders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.orderflow.service.http.Problem.FieldError;
import org.orderflow.service.http.Input;
import org.orderflow.service.http.ProblemException;

/** The rules of a new order; every violated rule becomes one field error of the 400 answer. */
final class OrderValidation {
    static final int MAX_ITEMS = 100;
    static final int MAX_QUANTITY = 10_000;
    /** With {@link #MAX_ITEMS} and {@link #MAX_QUANTITY}, the largest total (999,999,990,000) fits NUMERIC(14,2). */
    static final BigDecimal MAX_PRICE = new BigDecimal("999999.99");
    static final int MAX_ID_LENGTH = 100;
    static final int MAX_NAME_LENGTH = 200;

    private OrderValidation() {
    }

    static void validate(PlaceOrderRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (blank(request.customerId())) {
            errors.add(new FieldError("customer_id", "is required"));
        } else {
            Input.text(errors, "customer_id", request.customerId(), MAX_ID_LENGTH);
        }
        if (blank(request.currency())) {
            errors.add(new FieldError("currency", "is required (an ISO 4217 code such as EUR or USD)"));
        } else if (request.currency().length() != 3 || !isCurrency(request.currency())) {
            errors.add(new FieldError("currency", "'" + request.currency() + "' is not an ISO 4217 currency code"));
        }
        if (request.items() == null || request.items().isEmpty()) {
            errors.add(new FieldError("items", "must contain at least one item"));
        } else if (request.items().size() > MAX_ITEMS) {
            errors.add(new FieldError("items", "must contain at most " + MAX_ITEMS + " items"));
        } else {
            for (int i = 0; i < request.items().size(); i++) {
                validateItem("items[" + i + "]", request.items().get(i), errors);
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The order is not valid: " + errors.size() + " field(s) to correct", errors);
        }
    }

    private static void validateItem(String path, PlaceOrderRequest.Item item, List<FieldError> errors) {
        if (item == null) {
            errors.add(new FieldError(path, "must be an object"));
            return;
        }
        if (blank(item.productId())) {
            errors.add(new FieldError(path + ".product_id", "is required"));
        } else {
            Input.text(errors, path + ".product_id", item.productId(), MAX_ID_LENGTH);
        }
        Input.text(errors, path + ".name", item.name(), MAX_NAME_LENGTH);
        if (item.quantity() == null) {
            errors.add(new FieldError(path + ".quantity", "is required"));
        } else if (item.quantity() <= 0 || item.quantity() > MAX_QUANTITY) {
            errors.add(new FieldError(path + ".quantity", "must be a whole number from 1 to " + MAX_QUANTITY));
        }
        if (item.price() == null) {
            errors.add(new FieldError(path + ".price", "is required"));
        } else if (item.price().signum() <= 0 || item.price().compareTo(MAX_PRICE) > 0) {
            errors.add(new FieldError(path + ".price", "must be more than 0 and at most " + MAX_PRICE));
        } else if (item.price().stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError(path + ".price", "must have at most 2 decimals"));
        }
    }

    private static boolean isCurrency(String code) {
        try {
            return code.equals(Currency.getInstance(code).getCurrencyCode());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
