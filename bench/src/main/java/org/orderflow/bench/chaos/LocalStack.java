package org.orderflow.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.orderflow.devstack.PidFile;
import org.orderflow.devstack.KafkaCluster;
import org.orderflow.devstack.LocalKafka;
import org.orderflow.devstack.LocalPostgres;

/**
 * The stack `make up` runs, as its files under STACK_DIR tell: the shape it was started with ({@code run/stack.env}),
 * each service instance's pid and port ({@code run/svc-*.pid}, {@code .port}), the brokers' and PostgreSQL's pid
 * files. It restarts what was killed the way a user would: {@code scripts/stack.sh up}, which starts what is missing
 * and returns once every service is ready.
 */
final class LocalStack {
    static final List<String> SERVICES = List.of("order", "inventory", "warehouse", "shipper", "notification");
    private static final Pattern INSTANCE = Pattern.compile("svc-([a-z]+)(?:-(\\d+))?");

    private final Path root;
    private final Path stackDir;
    private final Map<String, String> shape;

    private LocalStack(Path root, Path stackDir, Map<String, String> shape) {
        this.root = root;
        this.stackDir = stackDir;
        this.shape = shape;
    }

    /** The stack under {@code stackDir}, started by the scripts of the checkout at {@code root}. */
    static LocalStack at(Path root, Path stackDir) {
        Path shapeFile = stackDir.resolve("run").resolve("stack.env");
        if (!Files.exists(shapeFile)) {
            throw new IllegalStateException("No stack runs from " + stackDir + " (no " + shapeFile + "): start one with make up");
        }
        Map<String, String> shape = new HashMap<>();
        try {
            for (String line : Files.readAllLines(shapeFile)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    shape.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + shapeFile, e);
        }
        return new LocalStack(root, stackDir, shape);
    }

    int brokers() {
        return Integer.parseInt(shape.getOrDefault("BROKERS", "1"));
    }

    int postgresPort() {
        return Integer.parseInt(shape.getOrDefault("PG_PORT", "5432"));
    }

    String kafkaBootstrap() {
        return kafka().bootstrapServers();
    }

    /** Every service instance with a pid file, in the order of the pipeline, then by index. */
    List<Instance> instances() {
        List<Instance> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(stackDir.resolve("run"))) {
            files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".pid"))
                    .map(name -> INSTANCE.matcher(name.substring(0, name.length() - ".pid".length())))
                    .filter(Matcher::matches)
                    .forEach(match -> found.add(new Instance(match.group(1), match.group(2) == null ? 0 : Integer.parseInt(match.group(2)),
                            readPort(match.group(0)))));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + stackDir.resolve("run"), e);
        }
        found.sort(Comparator.comparingInt((Instance instance) -> SERVICES.indexOf(instance.service())).thenComparingInt(Instance::index));
        return found;
    }

    /** The running process of a service instance. */
    Optional<ProcessHandle> process(Instance instance) {
        return PidFile.liveProcess(stackDir.resolve("run").resolve(instance.label() + ".pid"));
    }

    List<LocalKafka> brokerNodes() {
        return kafka().nodes();
    }

    Optional<ProcessHandle> postgresProcess() {
        return new LocalPostgres(stackDir.resolve("postgres"), stackDir.resolve("postgres-binaries"), postgresPort(), "nobody", false)
                .pid().flatMap(ProcessHandle::of);
    }

    /** scripts/stack.sh up: starts whatever is not running, returns once every service answers /ready. */
    void restartMissing(Path log, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("scripts/stack.sh").toString(), "up", "--quiet")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("STACK_DIR", stackDir.toString());
        try {
            Process up = builder.start();
            if (!up.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                up.destroyForcibly();
                throw new IllegalStateException("scripts/stack.sh up did not finish within " + timeout.toSeconds() + " s; see " + log);
            }
            if (up.exitValue() != 0) {
                throw new IllegalStateException("scripts/stack.sh up failed (exit " + up.exitValue() + "); see " + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run scripts/stack.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted restarting the stack", e);
        }
    }

    /** The instances that do not answer /ready with 200 now. */
    List<String> unready() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return instances().stream().filter(instance -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + instance.port() + "/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200;
            } catch (IOException e) {
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }).map(Instance::label).toList();
    }

    private KafkaCluster kafka() {
        int firstPort = Integer.parseInt(shape.getOrDefault("KAFKA_PORT", "9092"));
        int controllerPort = Integer.parseInt(shape.getOrDefault("KAFKA_CONTROLLER_PORT", Integer.toString(firstPort + brokers())));
        return KafkaCluster.in(stackDir, brokers(), firstPort, controllerPort);
    }

    private int readPort(String label) {
        try {
            return Integer.parseInt(Files.readString(stackDir.resolve("run").resolve(label + ".port")).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("No port recorded for " + label + " in " + stackDir.resolve("run"), e);
        }
    }

    /** One process of a service: svc-order (index 0), svc-order-1, ... */
    record Instance(String service, int index, int port) {
        String label() {
            return index == 0 ? "svc-" + service : "svc-" + service + "-" + index;
        }
    }
}
