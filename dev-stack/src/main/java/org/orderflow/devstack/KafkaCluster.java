package org.orderflow.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;

/**
 * One Kafka broker, or several forming one KRaft cluster: node <i>i</i> (1-based) takes broker port
 * {@code firstPort + i - 1} and controller port {@code firstControllerPort + i - 1}, every node is both broker and
 * controller, and the controllers form one static quorum. Topics and internal topics are replicated three times at most,
 * with {@code min.insync.replicas} one fewer, so that one broker's death stops neither writes nor reads.
 *
 * <p>Layout: a single broker lives in {@code <stackDir>/kafka} (as it always has); a cluster in
 * {@code <stackDir>/kafka-cluster/node-<i>}, with its id in {@code <stackDir>/kafka-cluster/cluster.id}. Both may
 * exist side by side; only one runs at a time, as their ports say.
 */
public final class KafkaCluster {
    private final List<LocalKafka> nodes;

    private KafkaCluster(List<LocalKafka> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** The cluster of {@code brokers} nodes kept under {@code stackDir}. */
    public static KafkaCluster in(Path stackDir, int brokers, int firstPort, int firstControllerPort) {
        if (brokers == 1) {
            return new KafkaCluster(List.of(new LocalKafka(stackDir.resolve("kafka"), firstPort, firstControllerPort)));
        }
        Path home = stackDir.resolve("kafka-cluster").toAbsolutePath();
        String clusterId = clusterId(home);
        Map<Integer, Integer> voters = new HashMap<>();
        IntStream.rangeClosed(1, brokers).forEach(node -> voters.put(node, firstControllerPort + node - 1));
        List<LocalKafka> nodes = new ArrayList<>();
        for (int node = 1; node <= brokers; node++) {
            nodes.add(new LocalKafka(home.resolve("node-" + node), firstPort + node - 1, voters.get(node),
                    new LocalKafka.Membership(node, voters, clusterId, brokers), Optional.empty()));
        }
        return new KafkaCluster(nodes);
    }

    /** Every node whose data is kept under {@code stackDir}, single or clustered, running or not: for stopping them. */
    public static List<LocalKafka> everyNode(Path stackDir) {
        List<LocalKafka> found = new ArrayList<>(List.of(new LocalKafka(stackDir.resolve("kafka"), 0, 0)));
        Path cluster = stackDir.resolve("kafka-cluster");
        if (Files.isDirectory(cluster)) {
            try (Stream<Path> homes = Files.list(cluster)) {
                homes.filter(home -> home.getFileName().toString().startsWith("node-"))
                        .forEach(home -> found.add(new LocalKafka(home, 0, 0)));
            } catch (IOException e) {
                throw new StackException("Cannot list " + cluster, e);
            }
        }
        return found;
    }

    /** A test's own cluster in a scratch directory, on free ports, stopped and deleted when the JVM exits. */
    public static KafkaCluster scratch(int brokers) {
        Path home = ScratchDirectory.create("kafka-cluster");
        int firstPort = FreePorts.spaced(brokers, 1);
        KafkaCluster cluster = in(home, brokers, firstPort, FreePorts.spaced(brokers, 1));
        ScratchDirectory.deleteOnExit(home, cluster::stop);
        cluster.start(false);
        return cluster;
    }

    public List<LocalKafka> nodes() {
        return nodes;
    }

    public String bootstrapServers() {
        return nodes.stream().map(LocalKafka::bootstrapServers).collect(Collectors.joining(","));
    }

    /**
     * Starts every node not running yet, all at once (a node waits for a quorum of its peers), and returns once each
     * is a live broker.
     *
     * @param detached keep running after this JVM exits (make up); otherwise stopped when this JVM exits
     */
    public void start(boolean detached) {
        nodes.forEach(node -> node.launch(detached));
        nodes.forEach(LocalKafka::awaitReady);
    }

    /** Stops every node at once: one by one, the last would wait for a quorum that is gone already. */
    public void stop() {
        stopAll(nodes);
    }

    /** Stops the given nodes at once (see {@link #stop()}), e.g. {@link #everyNode}. */
    public static void stopAll(List<LocalKafka> nodes) {
        List<Thread> stopping = nodes.stream().map(node -> new Thread(node::stop, "stop-kafka")).toList();
        stopping.forEach(Thread::start);
        stopping.forEach(KafkaCluster::join);
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted stopping Kafka", e);
        }
    }

    /** The cluster's id, made once: every node is formatted with it. */
    private static String clusterId(Path home) {
        Path file = home.resolve("cluster.id");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(home);
                Files.writeString(file, Uuid.randomUuid().toString());
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new StackException("Cannot keep the cluster id in " + file, e);
        }
    }
}
