package org.orderflow.outbox.internal;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The meters one component (a relay, a consumer) registered, so that it takes them out of the registry when it stops:
 * a stopped component reports nothing, and one started again in the same registry registers afresh. Shared by the
 * outbox's and the consumer runtime's meters. Thread-safe.
 */
public final class OwnedMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    public OwnedMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Keeps a meter just registered with {@link #registry()}; returns it. */
    public synchronized <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    /** Takes one meter out now (a partition that moved away). */
    public synchronized void remove(Meter meter) {
        meters.remove(meter);
        registry.remove(meter);
    }

    @Override
    public synchronized void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
