package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.orderflow.devstack.FreePorts;
import org.orderflow.devstack.ScratchDirectory;
import org.orderflow.devstack.TestHttp;

/**
 * A real Prometheus server (Debian's {@code prometheus} package; {@code .ci/run} installs it) started with the shipped
 * {@code deploy/observability/prometheus.yml} and its alert rules, the targets pointed at the test's services, scraping
 * every second; and {@code promtool}.
 */
final class RealPrometheus implements AutoCloseable {
    static final Path CONFIG_DIR = findConfigDir();
    private static final List<String> STACK_TARGETS = List.of("localhost:8081", "localhost:8082", "localhost:8083", "localhost:8084",
            "localhost:8085");

    private final Process process;
    private final int port;

    private RealPrometheus(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Skips the test where Prometheus is not installed, except in CI, where that is a failure. */
    static void requireInstalled() {
        boolean installed = onPath("prometheus") && onPath("promtool");
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("prometheus and promtool are not installed: .ci/run installs them (apt-get install prometheus)");
        }
        Assumptions.assumeTrue(installed, "prometheus and promtool are not installed (apt-get install prometheus)");
    }

    /** Runs promtool; its output, once it exited 0. */
    static String promtool(String... arguments) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        try {
            Process promtool = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(promtool.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
            return output;
        } catch (IOException e) {
            throw new AssertionError("promtool failed to run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts Prometheus with the shipped configuration, its five targets replaced by {@code servicePorts} in order. */
    static RealPrometheus start(List<Integer> servicePorts) {
        Path home = ScratchDirectory.create("prometheus");
        try {
            String config = Files.readString(CONFIG_DIR.resolve("prometheus.yml")).replace("scrape_interval: 15s", "scrape_interval: 1s")
                    .replace("evaluation_interval: 15s", "evaluation_interval: 1s");
            for (int i = 0; i < STACK_TARGETS.size(); i++) {
                assertThat(config).contains(STACK_TARGETS.get(i));
                config = config.replace(STACK_TARGETS.get(i), "localhost:" + servicePorts.get(i));
            }
            Files.writeString(home.resolve("prometheus.yml"), config);
            Files.copy(CONFIG_DIR.resolve("alerts.yml"), home.resolve("alerts.yml"));
            int port = FreePorts.next();
            Process process = new ProcessBuilder("prometheus", "--config.file=" + home.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(home.resolve("prometheus.log").toFile()).start();
            RealPrometheus prometheus = new RealPrometheus(process, port);
            ScratchDirectory.deleteOnExit(home, prometheus::close);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> process.isAlive() && ready(port));
            return prometheus;
        } catch (IOException e) {
            throw new AssertionError("Prometheus failed to start", e);
        }
    }

    /** The health of each scrape target: "up", "down" or "unknown" (not scraped yet). */
    List<String> targetHealth() {
        return api("/api/v1/targets").get("activeTargets").findValuesAsText("health");
    }

    /** An instant query's result: the value of each series by its {@code service} label. */
    Map<String, Double> query(String promql) {
        Map<String, Double> byService = new HashMap<>();
        for (JsonNode series : api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("result")) {
            byService.put(series.get("metric").path("service").asText(""), series.get("value").get(1).asDouble());
        }
        return byService;
    }

    List<String> ruleGroups() {
        return api("/api/v1/rules").get("groups").findValuesAsText("name");
    }

    private JsonNode api(String path) {
        TestHttp.Response response = TestHttp.get(port, path);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return TestSystem.json(response.body()).get("data");
    }

    private static boolean ready(int port) {
        try {
            return TestHttp.get(port, "/-/ready").status() == 200;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private static boolean onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    /** deploy/observability of the checkout the tests run in (Maven runs them in bench/). */
    private static Path findConfigDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("deploy/observability");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No deploy/observability above " + Path.of("").toAbsolutePath());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
