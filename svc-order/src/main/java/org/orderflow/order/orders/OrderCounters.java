package org.orderflow.order.orders;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * The business counters svc-order keeps, as it records every order's way through the pipeline: orders reaching each
 * status ({@code orderflow_orders_total{status}}: RECEIVED is placed, then CONFIRMED, REJECTED, PICKED_AND_PACKED,
 * SHIPPED, CANCELLED), and cancellations by who decided them ({@code orderflow_orders_cancelled_total{cancelled_by}}).
 * Counted when the transaction that recorded the step commits, so a rolled-back batch counts nothing.
 */
final class OrderCounters {
    private static final int MAX_DECIDERS = 20;
    /** Who cancels today (a customer's request, svc-warehouse's failed pick): their series exist from the start. */
    private static final List<String> KNOWN_DECIDERS = List.of("customer", "svc-warehouse");

    private final MeterRegistry registry;
    private final Map<OrderStatus, Counter> reached = new EnumMap<>(OrderStatus.class);
    private final Map<String, Counter> cancelledBy = new ConcurrentHashMap<>();

    OrderCounters(MeterRegistry registry) {
        this.registry = registry;
        for (OrderStatus status : OrderStatus.values()) {
            reached.put(status, Counter.builder("orderflow.orders").description("Orders that reached a status")
                    .tag("status", status.name()).register(registry));
        }
        KNOWN_DECIDERS.forEach(this::cancelledBy);
    }

    /** {@code count} orders reached {@code status} in the transaction of {@code handle}. */
    void reached(Handle handle, OrderStatus status, int count) {
        if (count > 0) {
            handle.afterCommit(() -> reached.get(status).increment(count));
        }
    }

    /** An order was cancelled; {@code decider} is the event's {@code cancelled_by} (customer, svc-warehouse). */
    void cancelled(Handle handle, String decider) {
        // The value comes from an event anyone with access to the topic can write: keep the series bounded.
        String tag = decider != null && decider.matches("[a-z_-]{1,30}") && (cancelledBy.size() < MAX_DECIDERS || cancelledBy.containsKey(decider))
                ? decider : "other";
        handle.afterCommit(cancelledBy(tag)::increment);
    }

    private Counter cancelledBy(String decider) {
        return cancelledBy.computeIfAbsent(decider, key -> Counter.builder("orderflow.orders.cancelled")
                .description("Orders cancelled, by who decided it").tag("cancelled_by", key).register(registry));
    }
}
