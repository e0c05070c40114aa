package org.orderflow.messaging.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.consumer.ConsumerSettings;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.messaging.consumer.EventHandler;
import org.orderflow.messaging.kpi.LatencyRecorder;
import org.orderflow.outbox.Backoff;
import org.orderflow.outbox.OutboxMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One consumer thread: poll, apply, commit. See {@link org.orderflow.messaging.consumer.EventConsumer} for the
 * contract; this class is how it is kept.
 */
final class ConsumerLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration INBOX_CLEANUP_INTERVAL = Duration.ofMinutes(10);
    /**
     * Offsets are committed at most this often: each commit is a request to the group coordinator and a write to
     * {@code __consumer_offsets}, and one per poll made up a good part of the broker's work. Safe because the
     * applied records are in the inbox: after a crash, what was applied since the last commit comes again and is
     * skipped.
     */
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final List<String> topics;
    private final Jdbi jdbi;
    private final EventPublisher publisher;
    private final EventHandler handler;
    private final EventDecoder decoder;
    private final Inbox inbox = new Inbox();
    private final DeadLetters deadLetters;
    private final DeadLetterWriter deadLetterWriter;
    private final ConsumerSettings settings;
    private final Counters counters;
    private final LatencyRecorder latency;
    private final boolean cleansInbox;

    private final Map<TopicPartition, Long> pausedUntilNanos = new HashMap<>();
    private final Map<TopicPartition, Backoff> backoffs = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private Consumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile String problem;
    private volatile long lag;
    private Metric lagMetric;
    private long nextInboxCleanup = System.nanoTime() + INBOX_CLEANUP_INTERVAL.toNanos();
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private long nextCommit = System.nanoTime();

    /** {@code consumers} builds the Kafka consumer, on this loop's thread: again after the one in use failed. */
    ConsumerLoop(Supplier<Consumer<String, byte[]>> consumers, List<String> topics, Jdbi jdbi, EventPublisher publisher, EventHandler handler,
                 EventDecoder decoder, DeadLetters deadLetters, ConsumerSettings settings, Counters counters, LatencyRecorder latency,
                 boolean cleansInbox) {
        this.consumers = consumers;
        this.topics = List.copyOf(topics);
        this.jdbi = jdbi;
        this.publisher = publisher;
        this.handler = handler;
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.deadLetterWriter = new DeadLetterWriter(jdbi, publisher, deadLetters);
        this.settings = settings;
        this.counters = counters;
        this.latency = latency;
        this.cleansInbox = cleansInbox;
    }

    /**
     * Polls and applies until stopped. A fatal Kafka error (authorization, unsupported version, fenced) ends the loop
     * and stays in {@link #problem()}; any other failure, the consumer's constructor included, is logged, shown in
     * {@link #problem()} until a poll succeeds again, and retried with a new consumer after a backoff.
     */
    @Override
    public void run() {
        Backoff backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        try {
            while (running) {
                try {
                    if (consumer == null) {
                        consumer = consumers.get();
                        consumer.subscribe(topics, new ForgetRevokedPartitions());
                    }
                    pollAndApply();
                    problem = null;
                    backoff.reset();
                } catch (RuntimeException e) {
                    if (Failures.isFatal(e)) {
                        problem = "fatal Kafka error: " + e;
                        log.error("Consumer of {} stopped; /ready fails until it is restarted", topics, e);
                        return;
                    }
                    problem = "consumer failing, retrying: " + e;
                    counters.failures.increment();
                    Duration wait = backoff.next();
                    log.warn("Consumer of {} failed; a new consumer in {} ms", topics, wait.toMillis(), e);
                    closeConsumer();
                    sleep(wait);
                }
            }
        } catch (Error e) {
            problem = "consumer thread ended: " + e;
            log.error("Consumer of {} ended; /ready fails until the service is restarted", topics, e);
            throw e;
        } finally {
            closeConsumer();
        }
    }

    private void pollAndApply() {
        resumeDuePartitions();
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty()) {
            process(records);
        }
        commitWhenDue();
        lag = currentLag();
        cleanInboxWhenDue();
    }

    /** Commits what was applied and leaves the group; the retry state goes with the partitions. */
    private void closeConsumer() {
        if (consumer == null) {
            return;
        }
        try {
            commitNow();
            // A static member would otherwise stay in the group, its partitions unread, until its session expires.
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)).withGroupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP));
        } catch (RuntimeException e) {
            log.debug("Closing the consumer failed", e);
        }
        consumer = null;
        lagMetric = null;
        pausedUntilNanos.clear();
        backoffs.clear();
        uncommitted.clear();
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops after the batch in hand is applied and committed. */
    void stop() {
        running = false;
    }

    String problem() {
        return problem;
    }

    long lag() {
        return lag;
    }

    private void process(ConsumerRecords<String, byte[]> records) {
        List<Item> decoded = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            decoded.add(decode(record));
        }
        List<Item> items = ApplyOrder.typesTogether(decoded);
        if (items.stream().allMatch(this::ignored)) {
            done(items, Applied.ignoring(items.size()));
            uncommitted.putAll(lastOffsets(items));
            return;
        }
        Applied applied;
        try {
            applied = jdbi.inTransaction(handle -> apply(handle, items));
        } catch (Exception failure) {
            counters.failures.increment();
            if (Failures.isTransient(failure)) {
                retryLater(items, failure);
            } else {
                log.debug("A batch of {} failed ({}); applying its records one at a time", items.size(), failure.toString());
                applyOneByOne(items);
            }
            return;
        }
        done(items, applied);
        uncommitted.putAll(lastOffsets(items));
    }

    private Item decode(ConsumerRecord<String, byte[]> record) {
        try {
            return new Item(record, decoder.decode(record), null);
        } catch (PoisonRecordException poison) {
            return new Item(record, null, poison);
        } catch (RuntimeException unexpected) {
            // Whatever a record makes the decoder throw, the same record would make it throw again.
            return new Item(record, null, new PoisonRecordException("Record cannot be decoded: " + unexpected, unexpected));
        }
    }

    /** True for an event the handler does nothing with: it needs neither a transaction nor an inbox row. */
    private boolean ignored(Item item) {
        return !item.isPoison() && handler.ignores(item.event());
    }

    /** True for an event whose handler skips it itself when it has it: it needs no inbox row. */
    private boolean deduplicatedByHandler(Item item) {
        return !item.isPoison() && handler.deduplicatesById(item.event().type());
    }

    /** Applies items in the caller's transaction: inbox claim, handlers, outbox appends (one batch). */
    private Applied apply(Handle handle, List<Item> items) throws Exception {
        Set<String> fresh = inbox.claim(handle, items.stream().filter(item -> !ignored(item) && !deduplicatedByHandler(item)).toList());
        HandlerContext context = new HandlerContext(handle);
        Applied applied = new Applied();
        List<IncomingEvent> run = new ArrayList<>(); // consecutive events of one type its handler applies many at once
        for (Item item : items) {
            if (ignored(item)) {
                applied.ignored++;
            } else if (!deduplicatedByHandler(item) && !fresh.remove(item.inboxId())) {
                applied.duplicates++;
            } else if (item.isPoison()) {
                context.outgoing.add(deadLetters.of(item.record(), item.poison(), 1));
                applied.deadLettered.add(item);
            } else {
                IncomingEvent event = item.event();
                if (!run.isEmpty() && !run.get(0).type().equals(event.type())) {
                    handleRun(run, context);
                }
                if (handler.handlesInBatches(event.type())) {
                    run.add(event);
                } else {
                    handle(event, context);
                }
                applied.applied.add(item);
            }
        }
        handleRun(run, context);
        if (!context.outgoing.isEmpty()) {
            publisher.appendVerbatim(handle, context.outgoing);
        }
        return applied;
    }

    private void handleRun(List<IncomingEvent> run, HandlerContext context) throws Exception {
        if (run.isEmpty()) {
            return;
        }
        context.cause = null;
        handler.handleAll(List.copyOf(run), context);
        run.clear();
    }

    private void handle(IncomingEvent event, HandlerContext context) throws Exception {
        MDC.put("order_id", String.valueOf(event.orderId()));
        MDC.put("event_id", event.id());
        try {
            context.cause = event;
            handler.handle(event, context);
        } finally {
            MDC.remove("order_id");
            MDC.remove("event_id");
        }
    }

    /** After a failed batch: each record in its own transaction, partition by partition, in order. */
    private void applyOneByOne(List<Item> items) {
        Map<TopicPartition, List<Item>> byPartition = new LinkedHashMap<>();
        items.forEach(item -> byPartition.computeIfAbsent(item.partition(), p -> new ArrayList<>()).add(item));
        byPartition.forEach((partition, partitionItems) -> {
            for (Item item : partitionItems) {
                if (!applyAlone(item)) {
                    pauseAt(partition, item.record().offset()); // the records after it wait: per-key order holds
                    return;
                }
                uncommitted.put(partition, new OffsetAndMetadata(item.record().offset() + 1));
            }
        });
    }

    /** True when the record is done with (applied, duplicate or dead-lettered); false to retry it later. */
    private boolean applyAlone(Item item) {
        if (ignored(item)) {
            done(List.of(item), Applied.ignoring(1));
            return true;
        }
        try {
            Applied applied = jdbi.inTransaction(handle -> apply(handle, List.of(item)));
            done(List.of(item), applied);
            return true;
        } catch (Exception failure) {
            counters.failures.increment();
            if (Failures.isTransient(failure)) {
                log.warn("Transient failure applying {} at {}; will retry: {}", item.inboxId(), item.position(), failure.toString());
                return false;
            }
            int attempt = attempts.merge(item.position(), 1, Integer::sum);
            if (item.isPoison()) {
                return deadLetter(item, item.poison(), attempt); // what failed was storing its dead letter
            }
            if (Failures.isPoison(failure) || attempt >= settings.maxAttempts()) {
                return deadLetter(item, failure, attempt);
            }
            log.warn("Attempt {} of {} failed for event {} at {}; will retry: {}", attempt, settings.maxAttempts(), item.inboxId(),
                    item.position(), failure.toString());
            return false;
        }
    }

    /** Dead-letters the record ({@link DeadLetterWriter}); false when that must be retried later. */
    private boolean deadLetter(Item item, Throwable failure, int attempt) {
        if (!deadLetterWriter.write(item, failure, attempt)) {
            return false;
        }
        attempts.remove(item.position());
        counters.deadLettered.increment();
        return true;
    }

    private void done(List<Item> items, Applied applied) {
        counters.applied.add(applied.applied.size());
        counters.duplicates.add(applied.duplicates);
        counters.ignored.add(applied.ignored);
        counters.deadLettered.add(applied.deadLettered.size());
        for (Item item : applied.deadLettered) {
            log.error("Dead-lettered record at {}: {}", item.position(), item.poison().getMessage());
        }
        long now = System.currentTimeMillis();
        for (Item item : applied.applied) {
            latency.record(Duration.ofMillis(Math.max(0, now - item.record().timestamp())));
        }
        for (Item item : items) {
            attempts.remove(item.position());
            Backoff backoff = backoffs.get(item.partition());
            if (backoff != null) {
                backoff.reset();
            }
        }
    }

    /** A transient failure of the whole batch: every partition goes back to its first record and waits. */
    private void retryLater(List<Item> items, Exception failure) {
        Map<TopicPartition, Long> firstOffsets = new LinkedHashMap<>();
        items.forEach(item -> firstOffsets.putIfAbsent(item.partition(), item.record().offset()));
        firstOffsets.forEach(this::pauseAt);
        log.warn("Transient failure applying {} records ({}); partitions {} paused, will retry", items.size(), failure.toString(),
                firstOffsets.keySet());
    }

    private void pauseAt(TopicPartition partition, long offset) {
        consumer.seek(partition, offset);
        consumer.pause(List.of(partition));
        Duration wait = backoffs.computeIfAbsent(partition, p -> new Backoff(settings.initialBackoff(), settings.maxBackoff())).next();
        pausedUntilNanos.put(partition, System.nanoTime() + wait.toNanos());
    }

    private void resumeDuePartitions() {
        long now = System.nanoTime();
        Iterator<Map.Entry<TopicPartition, Long>> paused = pausedUntilNanos.entrySet().iterator();
        while (paused.hasNext()) {
            Map.Entry<TopicPartition, Long> entry = paused.next();
            if (now >= entry.getValue()) {
                if (consumer.assignment().contains(entry.getKey())) {
                    consumer.resume(List.of(entry.getKey()));
                }
                paused.remove();
            }
        }
    }

    /**
     * Commits the offsets of what was applied, asynchronously, once per {@link #COMMIT_INTERVAL}: the records are in
     * the inbox already, so the thread need not wait. A commit that fails or is lost (crash, rebalance) only means
     * those records come again, and the inbox skips them.
     */
    private void commitWhenDue() {
        if (uncommitted.isEmpty() || System.nanoTime() < nextCommit) {
            return;
        }
        consumer.commitAsync(new HashMap<>(uncommitted), (committed, failure) -> {
            if (failure != null) {
                log.warn("Offset commit failed ({}); the records will be redelivered and skipped as duplicates", failure.toString());
            }
        });
        uncommitted.clear();
        nextCommit = System.nanoTime() + COMMIT_INTERVAL.toNanos();
    }

    /** Before partitions go (rebalance, shutdown): what was applied, and the commits in flight, so fewer come again. */
    private void commitNow() {
        try {
            consumer.commitSync(new HashMap<>(uncommitted)); // also waits for the asynchronous commits in flight
        } catch (KafkaException e) {
            log.warn("Offset commit failed ({}); the records will be redelivered and skipped as duplicates", e.toString());
        }
        uncommitted.clear();
    }

    private static Map<TopicPartition, OffsetAndMetadata> lastOffsets(List<Item> items) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        items.forEach(item -> offsets.put(item.partition(), new OffsetAndMetadata(item.record().offset() + 1)));
        return offsets;
    }

    private long currentLag() {
        if (lagMetric == null) {
            lagMetric = consumer.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("records-lag-max") && e.getKey().group().equals("consumer-fetch-manager-metrics"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        Object value = lagMetric == null ? null : lagMetric.metricValue();
        return value instanceof Double lagValue && !lagValue.isNaN() ? lagValue.longValue() : 0;
    }

    private void cleanInboxWhenDue() {
        if (!cleansInbox || System.nanoTime() < nextInboxCleanup) {
            return;
        }
        nextInboxCleanup = System.nanoTime() + INBOX_CLEANUP_INTERVAL.toNanos();
        try {
            int deleted = inbox.deleteOlderThan(jdbi, settings.inboxRetention());
            log.debug("Deleted {} processed-event ids older than {}", deleted, settings.inboxRetention());
        } catch (RuntimeException e) {
            log.warn("Inbox clean-up failed; will try again in {}: {}", INBOX_CLEANUP_INTERVAL, e.toString());
        }
    }

    /** What one transaction did; counted only once it committed. */
    private static final class Applied {
        private final List<Item> applied = new ArrayList<>();
        private final List<Item> deadLettered = new ArrayList<>();
        private int duplicates;
        private int ignored;

        static Applied ignoring(int count) {
            Applied applied = new Applied();
            applied.ignored = count;
            return applied;
        }
    }

    /** The handler's view of the transaction; what it publishes is appended to the outbox in one batch. */
    private final class HandlerContext implements EventContext {
        private final Handle handle;
        private final List<OutboxMessage> outgoing = new ArrayList<>();
        private IncomingEvent cause;

        HandlerContext(Handle handle) {
            this.handle = handle;
        }

        @Override
        public Handle handle() {
            return handle;
        }

        @Override
        public void publish(OutgoingEvent event) {
            outgoing.add(publisher.toMessage(event, cause));
        }

        @Override
        public void publish(OutgoingEvent event, IncomingEvent causedBy) {
            outgoing.add(publisher.toMessage(event, causedBy));
        }
    }

    /**
     * On revocation: commit what was applied (the next owner starts after it) and forget the retry state. Partitions
     * lost (the session expired, another member may own them already) cannot be committed: what was applied on them
     * comes again to their new owner, whose inbox skips it.
     */
    private final class ForgetRevokedPartitions implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitNow();
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            log.warn("Lost {} (session expired); what was applied on them since the last commit comes again and is skipped", partitions);
            uncommitted.keySet().removeAll(partitions);
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> {
                pausedUntilNanos.remove(partition);
                backoffs.remove(partition);
            });
            attempts.keySet().removeIf(key -> partitions.stream().anyMatch(p -> key.startsWith(p.topic() + "-" + p.partition() + "@")));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("Assigned {}", partitions);
        }
    }
}
