package org.orderflow.contract.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order was placed: over HTTP, or typed into kafka-console-producer (then {@code currency} may be missing).
 * Schema: schemas/OrderReceived.schema.json.
 */
public record OrderReceived(String orderId, String customerId, List<LineItem> items, BigDecimal total, String currency,
                            Instant timestamp) {
    public static final String TYPE = "OrderReceived";
    /** The currency of an order that did not name one (typed by hand). */
    public static final String DEFAULT_CURRENCY = "USD";

    public String currencyOrDefault() {
        return currency == null || currency.isBlank() ? DEFAULT_CURRENCY : currency;
    }
}
