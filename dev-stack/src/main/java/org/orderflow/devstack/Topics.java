package org.orderflow.devstack;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics idempotently (an existing topic is left as it is) and returns once each partition has a leader. */
public final class Topics {
    private Topics() {
    }

    public static void ensure(String bootstrapServers, int partitions, short replicationFactor, Collection<String> names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // As the brokers' own default: with three replicas a write needs two, so one broker may die at any time.
            Map<String, String> configs = Map.of("min.insync.replicas", Integer.toString(Math.max(1, Math.min(replicationFactor, 3) - 1)));
            List<NewTopic> topics = names.stream().map(name -> new NewTopic(name, partitions, replicationFactor).configs(configs)).toList();
            admin.createTopics(topics).values().forEach((name, created) -> {
                try {
                    created.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("Interrupted creating " + name, e);
                } catch (TimeoutException e) {
                    throw new StackException("Timed out creating topic " + name + " on " + bootstrapServers, e);
                }
            });
            awaitLeaders(admin, names);
        }
    }

    /** A producer writing to a partition that has no leader yet gets errors; wait until every one has one. */
    private static void awaitLeaders(Admin admin, Collection<String> names) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                boolean allLed = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                        .flatMap(topic -> topic.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
                if (allLed) {
                    return;
                }
            } catch (ExecutionException | TimeoutException notYet) {
                // metadata not propagated yet: ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("Interrupted waiting for partition leaders", e);
            }
            Processes.sleep(java.time.Duration.ofMillis(100));
        }
        throw new StackException("Partitions of " + names + " have no leader after 30 s");
    }
}
