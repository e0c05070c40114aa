package org.orderflow.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.FreePorts;
import org.orderflow.devstack.ScratchDirectory;

/**
 * `make chaos` in short, on a stack of its own started by scripts/stack.sh as `make up` starts one: two instances of
 * every service on a three-broker cluster, orders over HTTP and Kafka with cancellations, and one fault of each kind
 * (a service instance, a relay leader, a broker and PostgreSQL killed with SIGKILL, a service paused, one stopped
 * with SIGTERM so that its partitions move under load). Nothing may be lost or doubled.
 */
class ChaosIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Map<String, String> STACK = new HashMap<>();

    @BeforeAll
    static void startStack() throws Exception {
        Path stackDir = ScratchDirectory.create("chaos-stack");
        STACK.put("STACK_DIR", stackDir.toString());
        STACK.put("BROKERS", "3");
        STACK.put("INSTANCES", "2");
        STACK.put("KAFKA_PORT", Integer.toString(FreePorts.spaced(6, 1))); // three brokers, then their controllers
        STACK.put("PG_PORT", Integer.toString(FreePorts.next()));
        for (String service : LocalStack.SERVICES) {
            STACK.put(service.toUpperCase(java.util.Locale.ROOT) + "_PORT", Integer.toString(FreePorts.spaced(2, 10)));
        }
        // Ten services and three brokers share the machine: small heaps, and C1 alone, which is fast sooner.
        STACK.put("SERVICE_JAVA_OPTS", "-Xms96m -Xmx256m -Xmn48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError");
        ScratchDirectory.deleteOnExit(stackDir, ChaosIT::stopStack);
        stack("up", "--quiet");
    }

    @AfterAll
    static void stopStack() {
        try {
            stack("down");
        } catch (Exception e) {
            throw new IllegalStateException("make down failed", e);
        }
    }

    @Test
    void ordersSurviveAKillOfEachKindWithNothingLostOrDoubled() {
        Map<String, String> env = new HashMap<>(STACK);
        env.put("CHAOS_RATE", "50");
        env.put("CHAOS_SECONDS", "60"); // and on until one fault of each kind was injected
        env.put("CHAOS_FAULT_INTERVAL", "5s");
        env.put("CHAOS_DOWN", "1s");
        env.put("CHAOS_PAUSE", "3s");
        env.put("CHAOS_SETTLE", "120s");

        ChaosReport report = ChaosRun.run(env, ROOT);

        assertThat(report.checks()).allSatisfy(check -> assertThat(check.passed()).as(check.name() + " " + check.examples()).isTrue());
        assertThat(report.faults()).extracting(Fault::kind).contains(Fault.Kind.values());
        assertThat(report.load().accepted()).isPositive();
    }

    private static void stack(String... arguments) throws IOException, InterruptedException {
        Path log = Path.of(STACK.get("STACK_DIR"), "stack-script.log");
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("scripts/stack.sh").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.command().addAll(java.util.List.of(arguments));
        builder.environment().putAll(STACK);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("scripts/stack.sh " + String.join(" ", arguments) + " failed:\n" + Files.readString(log));
        }
    }
}
