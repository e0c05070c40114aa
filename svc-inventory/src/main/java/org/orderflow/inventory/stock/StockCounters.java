package org.orderflow.inventory.stock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jdbi.v3.core.Handle;

/**
 * The business counters svc-inventory keeps: orders whose stock was reserved, released (cancelled) and taken off the
 * shelves (shipped), {@code orderflow_stock_reservations_total{outcome}}, and the units reserved,
 * {@code orderflow_stock_reserved_units_total}. Counted when the deciding transaction commits.
 */
final class StockCounters {
    private final Counter reserved;
    private final Counter released;
    private final Counter shipped;
    private final Counter reservedUnits;

    StockCounters(MeterRegistry registry) {
        this.reserved = reservations(registry, "reserved");
        this.released = reservations(registry, "released");
        this.shipped = reservations(registry, "shipped");
        this.reservedUnits = Counter.builder("orderflow.stock.reserved.units").description("Units of stock reserved by confirmed orders")
                .register(registry);
    }

    void reserved(Handle handle, int orders, long units) {
        if (orders > 0) {
            handle.afterCommit(() -> {
                reserved.increment(orders);
                reservedUnits.increment(units);
            });
        }
    }

    void released(Handle handle) {
        handle.afterCommit(released::increment);
    }

    void shipped(Handle handle, int orders) {
        handle.afterCommit(() -> shipped.increment(orders));
    }

    private static Counter reservations(MeterRegistry registry, String outcome) {
        return Counter.builder("orderflow.stock.reservations").description("Orders whose stock was reserved, released or shipped")
                .tag("outcome", outcome).register(registry);
    }
}
