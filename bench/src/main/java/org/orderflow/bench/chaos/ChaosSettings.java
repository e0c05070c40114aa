package org.orderflow.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What `make chaos` does, from the environment:
 *
 * <pre>
 *   CHAOS_RATE=200            orders placed per second, open loop
 *   CHAOS_SECONDS=180         how long orders are placed and faults injected
 *   CHAOS_KAFKA_SHARE=0.1     share of orders typed into OrderReceived as kafka-console-producer sends them
 *   CHAOS_CANCEL_SHARE=0.1    share of HTTP orders cancelled at a random moment within 3 s of being accepted
 *   CHAOS_FAULT_INTERVAL=12s  one fault begins this often (after the previous one has recovered)
 *   CHAOS_DOWN=3s             how long a killed process stays down before it is restarted
 *   CHAOS_PAUSE=8s            how long a paused process (SIGSTOP) stays paused; 0s injects no pauses
 *   CHAOS_SETTLE=300s         how long, after the load, every accepted order has to become final
 *   CHAOS_REPORT              where the JSON report goes ($STACK_DIR/chaos/chaos-&lt;start&gt;.json)
 * </pre>
 */
record ChaosSettings(int rate, Duration duration, double kafkaShare, double cancelShare, Duration faultInterval,
                     Duration downTime, Duration pauseTime, Duration settleTime, Path stackDir, Path report) {

    static ChaosSettings fromEnv(Map<String, String> env, Path stackDir, String runId) {
        Settings settings = new Settings(env);
        Path report = settings.text("CHAOS_REPORT").map(Path::of)
                .orElse(stackDir.resolve("chaos").resolve("chaos-" + runId + ".json"));
        ChaosSettings chaos = new ChaosSettings(settings.whole("CHAOS_RATE", 200, 1, 2000),
                settings.duration("CHAOS_SECONDS", "180s", Duration.ofSeconds(10)),
                settings.share("CHAOS_KAFKA_SHARE", 0.1), settings.share("CHAOS_CANCEL_SHARE", 0.1),
                settings.duration("CHAOS_FAULT_INTERVAL", "12s", Duration.ofSeconds(1)),
                settings.duration("CHAOS_DOWN", "3s", Duration.ZERO),
                settings.duration("CHAOS_PAUSE", "8s", Duration.ZERO),
                settings.duration("CHAOS_SETTLE", "300s", Duration.ofSeconds(10)), stackDir, report);
        return chaos;
    }

    /** Environment values, each checked with a message that names it. */
    private record Settings(Map<String, String> env) {
        java.util.Optional<String> text(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(value.trim());
        }

        int whole(String name, int defaultValue, int min, int max) {
            String value = text(name).orElse(Integer.toString(defaultValue));
            try {
                int number = Integer.parseInt(value);
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
        }

        double share(String name, double defaultValue) {
            String value = text(name).orElse(Double.toString(defaultValue));
            try {
                double share = Double.parseDouble(value);
                if (share >= 0 && share <= 1) {
                    return share;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a share from 0 to 1, got '" + value + "'");
        }

        /** Seconds ("180", "180s"), milliseconds ("500ms") or minutes ("3m"), at least {@code min}. */
        Duration duration(String name, String defaultValue, Duration min) {
            String value = text(name).orElse(defaultValue);
            Duration duration;
            try {
                if (value.endsWith("ms")) {
                    duration = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
                } else if (value.endsWith("m")) {
                    duration = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
                } else {
                    duration = Duration.ofSeconds(Long.parseLong(value.endsWith("s") ? value.substring(0, value.length() - 1) : value));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a duration such as 180s, 500ms or 3m, got '" + value + "'");
            }
            if (duration.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min.toMillis() + "ms, got '" + value + "'");
            }
            return duration;
        }
    }
}
