package org.orderflow.bench.chaos;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the services' consumer groups are behind the ends of the partitions they read: the records not yet applied
 * and committed, which a chaos run reports when its checks begin.
 */
final class ConsumerLag implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;

    ConsumerLag(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Records behind, by "group topic-partition at committed offset, read by client" (or "read by no member"), of the
     * partitions behind only; the services' groups (svc-*).
     */
    Map<String, Long> byPartition() throws InterruptedException {
        try {
            List<String> groups = admin.listConsumerGroups().all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                    .map(ConsumerGroupListing::groupId).filter(id -> id.startsWith("svc-")).toList();
            Map<String, Long> lag = new java.util.TreeMap<>();
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                Map<TopicPartition, String> readers = readers(group);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                    long behind = entry.getValue() == null ? 0 : Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
                    if (behind > 0) {
                        lag.put(group + " " + entry.getKey() + " at " + entry.getValue().offset() + ", read by "
                                + readers.getOrDefault(entry.getKey(), "no member"), behind);
                    }
                }
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot read the consumer groups' offsets: " + e.getMessage(), e);
        }
    }

    /** Which member's client reads each partition the group is assigned. */
    private Map<TopicPartition, String> readers(String group) throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, String> readers = new HashMap<>();
        admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).members()
                .forEach(member -> member.assignment().topicPartitions().forEach(partition -> readers.put(partition, member.clientId())));
        return readers;
    }

    @Override
    public void close() {
        admin.close();
    }
}
