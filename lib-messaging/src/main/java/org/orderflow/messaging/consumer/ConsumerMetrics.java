package org.orderflow.messaging.consumer;

/**
 * Counts since start, and the consumer lag now.
 *
 * @param applied      events applied (their effects committed)
 * @param duplicates   events skipped because the inbox had them
 * @param ignored      events the handler router passes over ({@link EventRouter.Route#passedOver}), consumed without a transaction
 * @param failures     failed attempts: of a poll, of a batch, of a record that is retried
 * @param deadLettered records sent to the dead-letter queue
 * @param lag          records behind the end of the partitions, the largest over this process's partitions
 */
public record ConsumerMetrics(long applied, long duplicates, long ignored, long failures, long deadLettered, long lag) {
}
