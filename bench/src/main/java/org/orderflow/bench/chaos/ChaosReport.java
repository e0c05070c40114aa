package org.orderflow.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orderflow.bench.chaos.OrderLoad.LoadFigures;

/**
 * What a run did and found: the stack's shape, the load, each fault and how long the stack took to come back, and
 * every check with its count. Printed, and written as JSON.
 */
record ChaosReport(String runId, ChaosSettings settings, String shape, LoadFigures load, List<Fault> faults,
                   Duration settledAfter, List<Check> checks) {

    boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    void print(PrintStream out) {
        out.println();
        out.printf("Chaos run %s against %s: %d orders/s for %d s%n", runId, shape, settings.rate(), settings.duration().toSeconds());
        out.printf("Orders: %d placed over HTTP, %d typed into Kafka; %d accepted, %d refused (4xx), %d unanswered; %d retries%n",
                load.placedOverHttp(), load.typedIntoKafka(), load.accepted(), load.refused(), load.unanswered(), load.retries());
        out.printf("Cancellations: %d sent, %d accepted, %d too late, %d unanswered%n", load.cancellationsSent(),
                load.cancellationsAccepted(), load.cancellationsTooLate(), load.cancellationsUnanswered());
        load.refusalExamples().forEach(example -> out.println("  refused: " + example));
        out.printf("Faults (%d):%n", faults.size());
        for (Fault fault : faults) {
            out.printf("  %6.1fs  %-17s %-18s %s%n", fault.at().toMillis() / 1000.0, fault.kind(), fault.target(), fault.succeeded()
                    ? "gone " + FaultInjector.seconds(fault.outage()) + ", all ready again after " + FaultInjector.seconds(fault.recovery())
                    : "FAILED: " + fault.problem());
        }
        out.printf("Every accepted order final %s after the last answer came%n", FaultInjector.seconds(settledAfter));
        out.println("Checks:");
        for (Check check : checks) {
            out.printf("  %-4s %s: %d checked, %d violations%n", check.passed() ? "PASS" : "FAIL", check.name(), check.checked(), check.violations());
            check.examples().forEach(example -> out.println("         e.g. " + example));
        }
        out.println(passed() ? "PASSED: nothing lost, nothing doubled" : "FAILED: see the checks above");
    }

    void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", runId);
        json.put("stack", shape);
        json.put("settings", Map.of("rate", settings.rate(), "seconds", settings.duration().toSeconds(),
                "kafka_share", settings.kafkaShare(), "cancel_share", settings.cancelShare(),
                "fault_interval_seconds", settings.faultInterval().toSeconds(), "down_seconds", settings.downTime().toSeconds(),
                "pause_seconds", settings.pauseTime().toSeconds()));
        json.put("load", load);
        json.put("faults", faults.stream().map(fault -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", fault.kind());
            entry.put("target", fault.target());
            entry.put("at_seconds", fault.at().toMillis() / 1000.0);
            entry.put("outage_seconds", fault.outage().toMillis() / 1000.0);
            entry.put("recovery_seconds", fault.recovery().toMillis() / 1000.0);
            entry.put("problem", fault.problem());
            return entry;
        }).toList());
        json.put("settled_after_seconds", settledAfter.toMillis() / 1000.0);
        json.put("checks", checks);
        json.put("passed", passed());
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
