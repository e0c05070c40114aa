package org.orderflow.messaging.kpi;

import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records latencies from any thread without locking and hands out interval snapshots (each snapshot covers the
 * time since the previous one). Values up to an hour, 3 significant digits.
 */
public final class LatencyRecorder {
    private final Recorder recorder = new Recorder(Duration.ofHours(1).toNanos() / 1000, 3);

    public void record(Duration latency) {
        long micros = Math.max(0, Math.min(latency.toNanos() / 1000, Duration.ofHours(1).toNanos() / 1000));
        recorder.recordValue(micros);
    }

    /** Percentiles of what was recorded since the previous call; resets the interval. */
    public Snapshot intervalSnapshot() {
        Histogram interval = recorder.getIntervalHistogram();
        return new Snapshot(interval.getTotalCount(), interval.getValueAtPercentile(50) / 1000.0,
                interval.getValueAtPercentile(99) / 1000.0, interval.getMaxValue() / 1000.0);
    }

    /** Count and percentiles of one interval, in milliseconds. */
    public record Snapshot(long count, double p50Millis, double p99Millis, double maxMillis) {
    }
}
