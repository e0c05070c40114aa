package org.orderflow.messaging.internal;

import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On revocation: commit what was applied (the next owner starts after it) and forget the retry state. Partitions
 * lost (the session expired, another member may own them already) cannot be committed: what was applied on them
 * comes again to their new owner, whose inbox skips it. Either way their lag is no longer this process's to report.
 */
final class RevokedPartitions implements ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(RevokedPartitions.class);

    private final Consumer<?, ?> consumer;
    private final OffsetCommitter committer;
    private final PartitionRetries retries;
    private final ConsumerMeters meters;

    RevokedPartitions(Consumer<?, ?> consumer, OffsetCommitter committer, PartitionRetries retries, ConsumerMeters meters) {
        this.consumer = consumer;
        this.committer = committer;
        this.retries = retries;
        this.meters = meters;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        committer.commitNow(consumer);
        committer.forget(partitions);
        retries.forget(partitions);
        partitions.forEach(meters::lost);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        log.warn("Lost {} (session expired); what was applied on them since the last commit comes again and is skipped", partitions);
        committer.forget(partitions);
        retries.forget(partitions);
        partitions.forEach(meters::lost);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        log.info("Assigned {}", partitions);
    }
}
