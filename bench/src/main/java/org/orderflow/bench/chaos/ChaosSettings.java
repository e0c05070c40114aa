package org.orderflow.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.orderflow.service.config.ConfigException;
import org.orderflow.service.config.Env;

/**
 * What `make chaos` does, from the environment:
 *
 * <pre>
 *   CHAOS_RATE=200            orders placed per second, open loop
 *   CHAOS_SECONDS=180         how long orders are placed and faults injected, in seconds
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
    private static final int HIGHEST_RATE = 2000;

    /** Read as the services read their settings ({@link Env}), with a message that names a bad one. */
    static ChaosSettings fromEnv(Map<String, String> variables, Path stackDir, String runId) {
        Env env = Env.of(variables);
        int rate = env.positiveInt("CHAOS_RATE", 200);
        if (rate > HIGHEST_RATE) {
            throw new ConfigException("CHAOS_RATE must be at most " + HIGHEST_RATE + ", got " + rate);
        }
        String report = env.string("CHAOS_REPORT", "");
        return new ChaosSettings(rate, Duration.ofSeconds(env.positiveInt("CHAOS_SECONDS", 180)),
                env.fraction("CHAOS_KAFKA_SHARE", 0.1), env.fraction("CHAOS_CANCEL_SHARE", 0.1),
                atLeast(env, "CHAOS_FAULT_INTERVAL", Duration.ofSeconds(12), Duration.ofSeconds(1)),
                atLeast(env, "CHAOS_DOWN", Duration.ofSeconds(3), Duration.ZERO),
                atLeast(env, "CHAOS_PAUSE", Duration.ofSeconds(8), Duration.ZERO),
                atLeast(env, "CHAOS_SETTLE", Duration.ofSeconds(300), Duration.ofSeconds(10)), stackDir,
                report.isBlank() ? stackDir.resolve("chaos").resolve("chaos-" + runId + ".json") : Path.of(report));
    }

    private static Duration atLeast(Env env, String name, Duration defaultValue, Duration least) {
        Duration value = env.duration(name, defaultValue);
        if (value.compareTo(least) < 0) {
            throw new ConfigException(name + " must be at least " + least.toMillis() + "ms, got " + value.toMillis() + "ms");
        }
        return value;
    }
}
