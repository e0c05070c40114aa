package org.orderflow.bench.chaos;

import java.time.Duration;
import java.util.Locale;

/** Lines on standard output, each with the time since the run began. */
final class Progress {
    private final long startNanos = System.nanoTime();

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    synchronized void say(String format, Object... arguments) {
        System.out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsed().toMillis() / 1000.0, String.format(Locale.ROOT, format, arguments));
    }
}
