package org.orderflow.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka node in KRaft mode (a combined broker and controller), run in a child JVM from the Maven
 * Central artifacts on the dev-stack classpath: alone, or one of a {@link KafkaCluster}. Layout under {@code home}:
 * {@code data/} (log dirs), {@code server.properties}, {@code kafka.log}, {@code kafka.pid}.
 *
 * <p>Longer than 250 lines because a node's whole life is here, in the order it happens (configure, format, launch,
 * await ready, stop), each step with why it is done so; split, the steps would each need the others' state.
 */
public final class LocalKafka {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path home;
    private final int port;
    private final int controllerPort;
    private final Membership membership;
    private final Optional<SecureListener> secureListener;

    /** A single broker that is its own controller quorum. */
    public LocalKafka(Path home, int port, int controllerPort) {
        this(home, port, controllerPort, new Membership(1, Map.of(1, controllerPort), "", 1), Optional.empty());
    }

    /** A single broker with a SASL_SSL listener beside its PLAINTEXT one. */
    public LocalKafka(Path home, int port, int controllerPort, SecureListener secureListener) {
        this(home, port, controllerPort, new Membership(1, Map.of(1, controllerPort), "", 1), Optional.of(secureListener));
    }

    LocalKafka(Path home, int port, int controllerPort, Membership membership, Optional<SecureListener> secureListener) {
        this.home = home.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.membership = membership;
        this.secureListener = secureListener;
    }

    /**
     * Where a node stands in its cluster.
     *
     * @param nodeId          its node.id
     * @param voters          every controller's node id and port: the static quorum (one entry for a single broker)
     * @param clusterId       the cluster's id, shared by its nodes ("" for a single broker: a new one on format)
     * @param brokers         brokers in the cluster: the replication of internal topics and min.insync.replicas
     */
    record Membership(int nodeId, Map<Integer, Integer> voters, String clusterId, int brokers) {
        boolean alone() {
            return voters.size() == 1;
        }

        int replication() {
            return Math.min(brokers, 3);
        }

        /** Writes go on with one replica of three down, and never rest on a single copy. */
        int minInsyncReplicas() {
            return Math.max(1, replication() - 1);
        }
    }

    public int port() {
        return port;
    }

    public Path home() {
        return home;
    }

    int nodeId() {
        return membership.nodeId();
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The SASL_SSL listener, when the node has one. */
    public Optional<SecureListener> secureListener() {
        return secureListener;
    }

    /** Adds a SCRAM user (the secure listener's mechanism), through the PLAINTEXT listener. */
    void addScramUser(String user, String password) {
        ScramCredentialInfo info = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user, info, password))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StackException("Cannot add the SCRAM user " + user + " to the broker on " + bootstrapServers(), e);
        }
    }

    public Path log() {
        return home.resolve("kafka.log");
    }

    public Optional<ProcessHandle> process() {
        return PidFile.liveProcess(pidFile());
    }

    /**
     * Formats the storage on first use and starts the broker unless ours already runs; returns once it answers.
     *
     * @param detached keep running after this JVM exits (make up); otherwise it is stopped when this JVM exits
     */
    public void start(boolean detached) {
        launch(detached);
        awaitReady();
    }

    /** Starts the node unless ours already runs, without waiting for it: a cluster's nodes must start together. */
    void launch(boolean detached) {
        if (process().isPresent()) {
            return;
        }
        Processes.requirePortFree(port, "KAFKA_PORT");
        Processes.requirePortFree(controllerPort, "KAFKA_CONTROLLER_PORT");
        try {
            Files.createDirectories(home.resolve("data"));
            Files.writeString(home.resolve("server.properties"), serverProperties());
            copyResource("/orderflow/kafka-logback.xml", home.resolve("logback.xml"));
            if (!Files.exists(home.resolve("data/meta.properties"))) {
                format();
            }
            Process broker = spawn(detached);
            Files.writeString(pidFile(), Long.toString(broker.pid()));
            if (!detached) {
                Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stop-kafka"));
            }
        } catch (IOException e) {
            throw new StackException("Cannot start Kafka in " + home, e);
        }
    }

    /** Stops our broker (by pid file, never anything else) and waits for it to exit. */
    public void stop() {
        process().ifPresent(broker -> {
            broker.destroy();
            try {
                broker.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                broker.destroyForcibly();
            }
        });
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException ignored) {
            // a stale pid file is detected as such on the next start
        }
    }

    private Path pidFile() {
        return home.resolve("kafka.pid");
    }

    private String serverProperties() {
        int replication = membership.replication();
        String secure = secureListener.map(listener -> "," + listener.listener()).orElse("");
        List<String> properties = new ArrayList<>(List.of(
                "# Written by dev-stack on every start: a combined broker and controller for local use.",
                "process.roles=broker,controller",
                "node.id=" + membership.nodeId(),
                "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort + secure,
                "advertised.listeners=PLAINTEXT://localhost:" + port + secure,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL",
                quorumProperty(),
                "log.dirs=" + home.resolve("data"),
                "num.partitions=6",
                // Internal topics (offsets, transactions) replicated like the pipeline's: one broker's death loses
                // neither a committed offset nor the group's coordinator for long.
                "default.replication.factor=" + replication,
                "min.insync.replicas=" + membership.minInsyncReplicas(),
                "offsets.topic.replication.factor=" + replication,
                "transaction.state.log.replication.factor=" + replication,
                "transaction.state.log.min.isr=" + membership.minInsyncReplicas(),
                "share.coordinator.state.topic.replication.factor=" + replication,
                "share.coordinator.state.topic.min.isr=" + membership.minInsyncReplicas(),
                // Consumers of a fresh group start at once instead of after 3 s.
                "group.initial.rebalance.delay.ms=0",
                // Topics are created on purpose (scripts/init-kafka.sh); a typo must not create a new one.
                "auto.create.topics.enable=false"));
        secureListener.ifPresent(listener -> properties.addAll(listener.serverProperties()));
        properties.add("");
        return String.join("\n", properties);
    }

    /** A single broker bootstraps a dynamic quorum of itself; a cluster's nodes share a static one. */
    private String quorumProperty() {
        if (membership.alone()) {
            return "controller.quorum.bootstrap.servers=localhost:" + controllerPort;
        }
        return "controller.quorum.voters=" + membership.voters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(voter -> voter.getKey() + "@localhost:" + voter.getValue())
                .collect(java.util.stream.Collectors.joining(","));
    }

    private void format() {
        List<String> command = javaCommand("kafka.tools.StorageTool");
        if (membership.alone()) {
            command.addAll(List.of("format", "--standalone", "-t", Uuid.randomUuid().toString()));
        } else {
            command.addAll(List.of("format", "-t", membership.clusterId()));
        }
        command.addAll(List.of("-c", home.resolve("server.properties").toString()));
        Processes.run(command, Duration.ofMinutes(2));
    }

    private Process spawn(boolean detached) throws IOException {
        List<String> command = new ArrayList<>();
        if (detached && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // own session: a Ctrl-C in the shell that ran `make up` does not reach it
        }
        command.addAll(javaCommand("kafka.Kafka"));
        command.add(home.resolve("server.properties").toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return builder.start();
    }

    /**
     * Kafka's own heap size (its start script gives 1 GB), with a young generation fixed at a quarter of it. Left to
     * G1's 20 ms pause goal, the broker's young generation shrank to some 20 MB, so at 300 orders/s it paused every 1.7
     * s for 25 to 33 ms, each pause holding up every record in flight. A pause costs what survives it (a few MB), not
     * the size of the young generation: with this one the broker pauses 4 times a minute at that rate, 37 ms on
     * average. A node of a cluster gets half of that: three of them share the machine with ten service processes,
     * and each carries a third of the leaders.
     */
    private List<String> javaCommand(String mainClass) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> heap = membership.alone() ? List.of("-Xms1g", "-Xmx1g", "-Xmn256m") : List.of("-Xms512m", "-Xmx512m", "-Xmn128m");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(heap);
        command.addAll(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + home.resolve("logback.xml"),
                "-cp", StackClasspath.load().asArgument(), mainClass));
        return command;
    }

    /** Returns once this node is a live broker of its cluster, as its own listener tells. */
    void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            while (Instant.now().isBefore(deadline)) {
                if (process().isEmpty()) {
                    throw new StackException("Kafka exited during start-up; last lines of " + log() + ":\n" + Processes.tail(log(), 30));
                }
                try {
                    if (admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream().anyMatch(node -> node.id() == membership.nodeId())) {
                        return;
                    }
                } catch (Exception notYet) {
                    Processes.sleep(Duration.ofMillis(200));
                }
            }
        }
        throw new StackException("Kafka did not answer on " + bootstrapServers() + " within " + START_TIMEOUT.toSeconds()
                + " s; see " + log());
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = LocalKafka.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new StackException("Missing resource " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
