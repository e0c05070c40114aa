package org.orderflow.messaging.consumer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.Topics;
import org.orderflow.devstack.LocalPostgres;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestKafka;
import org.orderflow.devstack.TestKafka.Received;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.LogIds;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.dlq.DeadLetter;
import org.orderflow.messaging.internal.PoisonRecordException;
import org.orderflow.outbox.Outbox;
import org.orderflow.outbox.RelayConfig;
import org.slf4j.MDC;

class EventConsumerIT {
    private static final Duration WAIT = Duration.ofSeconds(45);

    private final RealServers servers = RealServers.shared();
    private final TestKafka kafka = new TestKafka(servers.kafkaBootstrapServers());
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private MessagingDatabase database;
    private String topic;
    private String group;
    private EventPublisher publisher;

    @BeforeEach
    void setUp() {
        kafka.createTopics(List.of(Topics.DEAD_LETTER_QUEUE), 1);
        topic = kafka.newTopic("events", 2);
        group = "test-" + UUID.randomUUID();
        publisher = EventPublisher.create(group, Outbox.create(), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void duplicateDeliveryIsAppliedOnce() {
        database = MessagingDatabase.create();
        EventConsumer consumer = startConsumer(recordingHandler(), settings());

        send("order-1", "event-1", "{\"order_id\":\"order-1\",\"amount\":5}");
        send("order-1", "event-1", "{\"order_id\":\"order-1\",\"amount\":5}");
        send("order-1", "event-2", "{\"order_id\":\"order-1\",\"amount\":7}");

        await().atMost(WAIT).until(() -> consumer.metrics().applied() + consumer.metrics().duplicates() == 3);
        assertThat(database.count("SELECT count(*) FROM applied")).isEqualTo(2);
        assertThat(database.count("SELECT count(*) FROM applied WHERE event_id = 'event-1'")).isEqualTo(1);
        assertThat(consumer.metrics().duplicates()).isEqualTo(1);
    }

    @Test
    void crashBetweenDatabaseCommitAndOffsetCommitRedeliversAndIsSkipped() throws Exception {
        consumerThatApplied(20).close();

        rewindGroupToStart(); // as if the process died after the database commit, before the offset commit
        EventConsumer second = startConsumer(recordingHandler(), settings());

        await().atMost(WAIT).until(() -> second.metrics().duplicates() == 20);
        assertThat(database.count("SELECT count(*) FROM applied")).isEqualTo(20);
        assertThat(second.metrics().applied()).isZero();
    }

    @Test
    void instancesShareThePartitionsAndOneThatStopsHandsItsOwnOverAtOnce() {
        database = MessagingDatabase.create();
        EventConsumer first = startConsumer(recordingHandler(), settings().instanceId("instance-0"));
        EventConsumer second = startConsumer(recordingHandler(), settings().instanceId("instance-1"));
        awaitEachMemberOwnsAPartition(2); // records sent earlier could all go to the instance that joined first
        sendMany(0, 20);
        await().atMost(WAIT).until(() -> database.count("SELECT count(*) FROM applied") == 20);
        assertThat(first.metrics().applied()).as("each instance consumes a partition").isPositive();
        assertThat(second.metrics().applied()).as("each instance consumes a partition").isPositive();

        first.close(); // a static member that did not leave would keep its partition unread for the session timeout (45 s)
        sendMany(20, 40);

        await().atMost(Duration.ofSeconds(15)).until(() -> database.count("SELECT count(*) FROM applied") == 40);
        assertThat(second.metrics().applied() + second.metrics().duplicates()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void closingCommitsTheOffsetsOfEverythingApplied() throws Exception {
        EventConsumer consumer = consumerThatApplied(20);

        consumer.close(); // offsets go out at most once a second while running; close must not leave any behind

        assertThat(committedOffsets()).isEqualTo(20);
    }

    @Test
    void ignoredEventsAreConsumedWithoutAnInboxRowAndTheirOffsetsCommitted() throws Exception {
        database = MessagingDatabase.create();
        EventConsumer consumer = startConsumer(EventRouter.builder()
                .on("TestEvent", recordingHandler())
                .ignoreWhen("TestEvent", event -> event.payload().get("amount").asInt() % 2 == 0)
                .build(), settings());

        sendOrders(10);

        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 5 && consumer.metrics().ignored() == 5);
        assertThat(database.count("SELECT count(*) FROM applied")).isEqualTo(5);
        assertThat(database.count("SELECT count(*) FROM processed_events")).isEqualTo(5);
        consumer.close();
        assertThat(committedOffsets()).isEqualTo(10);
    }

    @Test
    void anEventTypeItsHandlerDeduplicatesByIdGetsNoInboxRowAndARedeliveryIsStoredOnce() throws Exception {
        database = MessagingDatabase.create();
        EventRouter storingOnce = EventRouter.builder()
                .on("TestEvent", JsonNode.class, (payload, event, context) -> context.handle()
                        .createUpdate("""
                                INSERT INTO applied (event_id, order_id, amount)
                                SELECT :id, :order, :amount WHERE NOT EXISTS (SELECT 1 FROM applied WHERE event_id = :id)""")
                        .bind("id", event.id()).bind("order", event.orderId()).bind("amount", payload.get("amount").asInt())
                        .execute())
                .deduplicatedById("TestEvent")
                .build();
        EventConsumer consumer = startConsumer(storingOnce, settings());
        sendOrders(10);
        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 10);
        consumer.close();

        rewindGroupToStart(); // everything comes again
        EventConsumer second = startConsumer(storingOnce, settings());

        await().atMost(WAIT).until(() -> second.metrics().applied() == 10);
        assertThat(database.count("SELECT count(*) FROM applied")).isEqualTo(10);
        assertThat(database.count("SELECT count(DISTINCT event_id) FROM applied")).isEqualTo(10);
        assertThat(database.count("SELECT count(*) FROM processed_events")).isZero();
    }

    @Test
    void aRunOfEventsHandledInBatchesIsAppliedInOneCallAndABadEventFailsAlone() {
        database = MessagingDatabase.create();
        List<Integer> callSizes = new CopyOnWriteArrayList<>();
        EventRouter batches = batchHandler(callSizes);
        sendOrders(20); // before the consumer starts, so that its first poll brings many

        EventConsumer consumer = startConsumer(batches, settings().retries(2, Duration.ofMillis(50), Duration.ofMillis(200)));

        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 19 && consumer.metrics().deadLettered() == 1);
        assertThat(database.count("SELECT count(*) FROM applied")).isEqualTo(19);
        assertThat(database.count("SELECT count(*) FROM applied WHERE event_id = 'event-13'")).isZero();
        assertThat(callSizes.get(0)).as("events in the first call").isGreaterThan(1);
    }

    @Test
    void aConsumerThatMayWaitGetsRecordsSentOneByOneInOneOrTwoBatches() {
        database = MessagingDatabase.create();
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        EventRouter batches = batchHandler(batchSizes);
        // The wait is far longer than sending takes, so at most one fetch can end while the records arrive.
        EventConsumer consumer = startConsumer(batches, settings().fetchWait(Duration.ofSeconds(4)));
        send("order-0", "event-0", "{\"order_id\":\"order-0\",\"amount\":0}");
        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 1); // the consumer is assigned and fetching
        batchSizes.clear();

        for (int i = 1; i <= 8; i++) {
            send("order-" + i, "event-" + i, "{\"order_id\":\"order-" + i + "\",\"amount\":" + i + "}"); // a producer each
        }

        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 9);
        assertThat(batchSizes).as("records per transaction").hasSizeLessThanOrEqualTo(2);
        assertThat(database.count("SELECT count(*) FROM applied")).isEqualTo(9);
    }

    @Test
    void followUpTopicsAreAppliedByAConsumerInAGroupOfTheirOwn() {
        database = MessagingDatabase.create();
        String followUps = kafka.newTopic("follow-ups", 2);
        EventConsumer consumer = startConsumer(recordingHandler(), settings().followUps(List.of(followUps), Duration.ofMillis(100)));

        sendOrders(3);
        for (int i = 3; i < 6; i++) {
            kafka.send(followUps, "order-" + i, "{\"order_id\":\"order-" + i + "\",\"amount\":" + i + "}",
                    Map.of(EventHeaders.ID, "event-" + i, EventHeaders.TYPE, "TestEvent"));
        }

        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 6);
        assertThat(database.count("SELECT count(*) FROM applied")).isEqualTo(6);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(committedTopics(group)).containsExactly(topic);
            assertThat(committedTopics(group + ConsumerSettings.FOLLOW_UPS)).containsExactly(followUps);
        });
    }

    @Test
    void poisonRecordsLandInTheDeadLetterQueueWithContextAndTheNextRecordIsApplied() {
        database = MessagingDatabase.create();
        startRelay();
        EventConsumer consumer = startConsumer(recordingHandler(), settings());

        send("order-p", "event-not-json", "this is not json");
        send("order-p", "event-bad-schema", "{\"order_id\":\"order-p\",\"amount\":-1}");
        send("order-p", "event-good", "{\"order_id\":\"order-p\",\"amount\":1}");

        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 1 && consumer.metrics().deadLettered() == 2);
        List<Received> deadLetters = kafka.read(Topics.DEAD_LETTER_QUEUE, fromOurTopic(), 2, WAIT);
        assertThat(deadLetters).hasSize(2);
        Received notJson = deadLetters.stream().filter(d -> "event-not-json".equals(d.headers().get(EventHeaders.ID))).findFirst().orElseThrow();
        assertThat(notJson.value()).isEqualTo("this is not json");
        assertThat(notJson.key()).isEqualTo("order-p");
        assertThat(notJson.headers()).containsEntry("dlq_original_topic", topic)
                .containsEntry("dlq_consumer_group", group)
                .containsEntry("dlq_service", group)
                .containsEntry("dlq_attempts", "1")
                .containsKeys("dlq_original_partition", "dlq_original_offset", "dlq_original_timestamp", "dlq_exception_class",
                        "dlq_exception_message", "dlq_exception_stacktrace", "dlq_failed_at", EventHeaders.TYPE);
        Received badSchema = deadLetters.stream().filter(d -> "event-bad-schema".equals(d.headers().get(EventHeaders.ID))).findFirst().orElseThrow();
        assertThat(badSchema.headers().get("dlq_exception_message")).contains("amount");
        assertThat(database.count("SELECT count(*) FROM applied WHERE event_id = 'event-good'")).isEqualTo(1);
    }

    @Test
    void handlerThatKeepsFailingIsDeadLetteredAfterTheConfiguredAttemptsAndLaterRecordsWait() {
        database = MessagingDatabase.create();
        startRelay();
        EventHandler failsForEvil = (event, context) -> {
            if (event.orderId().equals("order-evil")) {
                throw new IllegalStateException("cannot ship to the moon");
            }
            recordingHandler().handle(event, context);
        };
        EventConsumer consumer = startConsumer(failsForEvil, settings().retries(3, Duration.ofMillis(20), Duration.ofMillis(100)));

        send("same-key", "event-before", "{\"order_id\":\"order-ok\",\"amount\":1}");
        send("same-key", "event-evil", "{\"order_id\":\"order-evil\",\"amount\":2}");
        send("same-key", "event-after", "{\"order_id\":\"order-ok\",\"amount\":3}");

        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 2 && consumer.metrics().deadLettered() == 1);
        Received deadLetter = kafka.read(Topics.DEAD_LETTER_QUEUE, fromOurTopic(), 1, WAIT).get(0);
        assertThat(deadLetter.headers()).containsEntry("dlq_attempts", "3")
                .containsEntry("dlq_exception_class", IllegalStateException.class.getName())
                .containsEntry("dlq_exception_message", "cannot ship to the moon");
        List<Long> amounts = database.jdbi().withHandle(h -> h.createQuery("SELECT amount FROM applied ORDER BY ctid").mapTo(Long.class).list());
        assertThat(amounts).containsExactly(1L, 3L);
    }

    @Test
    void databaseGoingAwayMidStreamLosesNothingOnceItIsBack() {
        LocalPostgres postgres = RealServers.dedicatedPostgres();
        toClose.push(postgres::stop);
        org.orderflow.devstack.Databases server = new org.orderflow.devstack.Databases("localhost", postgres.port(),
                LocalPostgres.SUPERUSER, LocalPostgres.SUPERUSER_PASSWORD);
        server.ensureDatabase("outage", "outage", "outage");
        database = MessagingDatabase.create(server.jdbcUrl("outage"), "outage", "outage");
        EventConsumer consumer = startConsumer(recordingHandler(), settings().retries(5, Duration.ofMillis(50), Duration.ofMillis(500)));
        sendMany(0, 100);
        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 100);

        postgres.stop();
        sendMany(100, 200);
        await().atMost(WAIT).until(() -> consumer.metrics().failures() > 0);
        postgres.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> consumer.metrics().applied() == 200);
        assertThat(database.count("SELECT count(*) FROM applied")).isEqualTo(200);
        assertThat(database.count("SELECT count(DISTINCT event_id) FROM applied")).isEqualTo(200);
        assertThat(consumer.metrics().deadLettered()).isZero();
        assertThat(consumer.problem()).isEmpty();
    }

    @Test
    void recordWithoutHeadersGetsItsTypeFromTheTopicAndAReSendIsADuplicate() {
        database = MessagingDatabase.create();
        EventConsumer consumer = startConsumer(recordingHandler(), settings());

        kafka.send(topic, null, "{\"order_id\":\"typed-by-hand\",\"amount\":4}", Map.of());
        kafka.send(topic, null, "{\"order_id\":\"typed-by-hand\",\"amount\":4}", Map.of());

        await().atMost(WAIT).until(() -> consumer.metrics().applied() + consumer.metrics().duplicates() == 2);
        assertThat(database.count("SELECT count(*) FROM applied WHERE order_id = 'typed-by-hand'")).isEqualTo(1);
    }

    @Test
    void eventsPublishedByAHandlerCarryTheContractHeadersAndTheTraceOfTheirCause() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetry telemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
        publisher = EventPublisher.create(group, Outbox.create(), Clock.systemUTC(), telemetry);
        database = MessagingDatabase.create();
        toClose.push(publisher.outbox().relay(database.dataSource(), RelayConfig.builder(servers.kafkaBootstrapServers(), "test")
                .pollInterval(Duration.ofMillis(500)).openTelemetry(telemetry).build()).start());
        String outTopic = kafka.newTopic("out", 1);
        EventHandler forwards = (event, context) ->
                context.publish(OutgoingEvent.of(outTopic, event.orderId(), Map.of("order_id", event.orderId(), "forwarded", true)));
        startConsumer(forwards, settings().openTelemetry(telemetry));
        String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        kafka.send(topic, "order-t", "{\"order_id\":\"order-t\",\"amount\":1}",
                Map.of(EventHeaders.ID, "cause-1", EventHeaders.TYPE, "TestEvent", EventHeaders.TRACEPARENT, parent));

        Received forwarded = kafka.read(outTopic, 1, WAIT).get(0);
        assertThat(forwarded.key()).isEqualTo("order-t");
        assertThat(forwarded.value()).contains("\"forwarded\":true");
        assertThat(forwarded.headers()).containsEntry(EventHeaders.SPEC_VERSION, "1.0")
                .containsEntry(EventHeaders.TYPE, outTopic)
                .containsEntry(EventHeaders.SOURCE, group)
                .containsEntry(EventHeaders.CONTENT_TYPE, "application/json")
                .containsKeys(EventHeaders.ID, EventHeaders.TIME);
        String traceparent = forwarded.headers().get(EventHeaders.TRACEPARENT);
        assertThat(traceparent).startsWith("00-0af7651916cd43dd8448eb211c80319c-").isNotEqualTo(parent);
        // The record's traceparent is the relay's publish span; it, the append span and the apply span chain up to the cause.
        await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().size() >= 3);
        Map<String, SpanData> byId = spans.getFinishedSpanItems().stream().collect(Collectors.toMap(SpanData::getSpanId, span -> span));
        SpanData publish = byId.get(traceparent.substring(36, 52));
        assertThat(publish.getName()).isEqualTo("publish " + outTopic);
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        SpanData append = byId.get(publish.getParentSpanId());
        assertThat(append.getName()).isEqualTo("append " + outTopic);
        SpanData apply = byId.get(append.getParentSpanId());
        assertThat(apply.getName()).isEqualTo("apply TestEvent");
        assertThat(apply.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(apply.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(apply.getTraceId()).isEqualTo(append.getTraceId()).isEqualTo(publish.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void aHandlerOfManyEventsLogsEachWithItsOrderEventAndTraceIds() {
        database = MessagingDatabase.create();
        OpenTelemetry telemetry = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build()).build();
        Map<String, Map<String, String>> logContexts = new ConcurrentHashMap<>();
        EventConsumer consumer = startConsumer(EventRouter.builder().onAll("TestEvent", JsonNode.class, (payloads, context) -> {
            for (EventRouter.Payload<JsonNode> payload : payloads) {
                try (var ids = context.logIds(payload.event())) {
                    logContexts.put(payload.event().id(), MDC.getCopyOfContextMap());
                }
            }
            assertThat(MDC.get(LogIds.ORDER_ID)).as("taken out again").isNull();
        }).build(), settings().openTelemetry(telemetry));

        for (int i = 0; i < 3; i++) {
            kafka.send(topic, "order-" + i, "{\"order_id\":\"order-" + i + "\",\"amount\":1}", Map.of(EventHeaders.ID, "event-" + i,
                    EventHeaders.TYPE, "TestEvent", EventHeaders.TRACEPARENT, "00-0af7651916cd43dd8448eb211c8031a" + i + "-b7ad6b7169203331-01"));
        }

        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 3);
        for (int i = 0; i < 3; i++) {
            assertThat(logContexts.get("event-" + i)).containsEntry(LogIds.ORDER_ID, "order-" + i).containsEntry(LogIds.EVENT_ID, "event-" + i)
                    .containsEntry(LogIds.TRACE_ID, "0af7651916cd43dd8448eb211c8031a" + i)
                    .hasEntrySatisfying(LogIds.SPAN_ID, span -> assertThat(span).as("its apply span's").isNotEqualTo("b7ad6b7169203331"));
        }
    }

    @Test
    void withoutATracerTheCausesTraceparentIsPassedOnUnchanged() {
        database = MessagingDatabase.create();
        startRelay();
        String outTopic = kafka.newTopic("out", 1);
        startConsumer((event, context) -> context.publish(OutgoingEvent.of(outTopic, event.orderId(), Map.of("order_id", event.orderId()))),
                settings());
        String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        kafka.send(topic, "order-u", "{\"order_id\":\"order-u\",\"amount\":1}",
                Map.of(EventHeaders.ID, "cause-2", EventHeaders.TYPE, "TestEvent", EventHeaders.TRACEPARENT, parent));

        assertThat(kafka.read(outTopic, 1, WAIT).get(0).headers()).containsEntry(EventHeaders.TRACEPARENT, parent);
    }

    @Test
    void recordWithANulByteInAHeaderAndABodyThatIsNotJsonIsDeadLetteredByteForByteAndTheNextIsApplied() {
        database = MessagingDatabase.create();
        startRelay();
        EventConsumer consumer = startConsumer(recordingHandler(), settings());
        byte[] nulHeader = {'a', 0, 'b', (byte) 0xff};
        ProducerRecord<byte[], byte[]> poison = new ProducerRecord<>(topic, 0, null, "not json \u0000".getBytes(UTF_8));
        poison.headers().add("x-binary", nulHeader).add("x-empty", null);
        kafka.sendRaw(poison);
        send("order-next", "event-next", "{\"order_id\":\"order-next\",\"amount\":1}");

        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 1 && consumer.metrics().deadLettered() == 1);
        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readRecords(Topics.DEAD_LETTER_QUEUE, fromOurTopicRaw(), 1, WAIT).get(0);
        assertThat(deadLetter.value()).isEqualTo("not json \u0000".getBytes(UTF_8));
        assertThat(deadLetter.key()).isNull();
        assertThat(deadLetter.headers().lastHeader("x-binary").value()).isEqualTo(nulHeader);
        assertThat(deadLetter.headers().lastHeader("x-empty").value()).isNull();
        assertThat(DeadLetter.of(deadLetter).context()).containsEntry("dlq_exception_class", PoisonRecordException.class.getName());
        assertThat(database.count("SELECT count(*) FROM applied WHERE event_id = 'event-next'")).isEqualTo(1);
    }

    @Test
    void recordWhoseDeadLetterCannotBeStoredGetsAMinimalOneAndThePartitionMovesOn() {
        database = MessagingDatabase.create();
        startRelay();
        EventConsumer consumer = startConsumer(recordingHandler(), settings());
        // PostgreSQL's text cannot hold NUL: the full dead letter's key cannot be stored.
        ProducerRecord<byte[], byte[]> poison = new ProducerRecord<>(topic, 0, "key\u0000nul".getBytes(UTF_8), "not json".getBytes(UTF_8));
        kafka.sendRaw(poison);
        kafka.sendRaw(new ProducerRecord<>(topic, 0, "order-next".getBytes(UTF_8), "{\"order_id\":\"order-next\",\"amount\":1}".getBytes(UTF_8)));

        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 1 && consumer.metrics().deadLettered() == 1);
        DeadLetter minimal = DeadLetter.of(kafka.readRecords(Topics.DEAD_LETTER_QUEUE, fromOurTopicRaw(), 1, WAIT).get(0));
        assertThat(minimal.isMinimal()).isTrue();
        assertThat(minimal.context()).containsEntry("dlq_original_partition", "0").containsEntry("dlq_original_offset", "0")
                .containsEntry("dlq_original_key_bytes", "7").containsEntry("dlq_original_value_bytes", "8")
                .containsKey("dlq_minimal_reason");
        assertThat(minimal.value()).isEmpty();
    }

    @Test
    void deadLetterReplayedTwiceIsAppliedOnce() {
        database = MessagingDatabase.create();
        startRelay();
        java.util.concurrent.atomic.AtomicBoolean fixed = new java.util.concurrent.atomic.AtomicBoolean();
        EventHandler failsUntilFixed = (event, context) -> {
            if (!fixed.get() && event.orderId().equals("order-broken")) {
                throw new IllegalStateException("not yet");
            }
            recordingHandler().handle(event, context);
        };
        EventConsumer consumer = startConsumer(failsUntilFixed, settings().retries(2, Duration.ofMillis(20), Duration.ofMillis(50)));
        send("order-broken", "event-broken", "{\"order_id\":\"order-broken\",\"amount\":7}");
        await().atMost(WAIT).until(() -> consumer.metrics().deadLettered() == 1);
        DeadLetter deadLetter = DeadLetter.of(kafka.readRecords(Topics.DEAD_LETTER_QUEUE, fromOurTopicRaw(), 1, WAIT).get(0));

        fixed.set(true);
        kafka.sendRaw(deadLetter.replay());
        kafka.sendRaw(deadLetter.replay());
        send("order-after", "event-after", "{\"order_id\":\"order-after\",\"amount\":1}");

        await().atMost(WAIT).until(() -> consumer.metrics().applied() == 2);
        await().atMost(WAIT).until(() -> consumer.metrics().duplicates() == 1);
        assertThat(database.count("SELECT count(*) FROM applied WHERE event_id = 'event-broken'")).isEqualTo(1);
        assertThat(database.count("SELECT count(*) FROM processed_events WHERE event_id = 'event-broken' AND outcome = 'REPLAYED'"))
                .isEqualTo(1);
    }

    private EventHandler recordingHandler() {
        return (event, context) -> context.handle()
                .createUpdate("INSERT INTO applied (event_id, order_id, amount) VALUES (:id, :order, :amount)")
                .bind("id", event.id())
                .bind("order", event.orderId())
                .bind("amount", event.payload().get("amount").asInt())
                .execute();
    }

    /** Applies a type's events in batches (their sizes go to {@code callSizes}); event 13 can never be applied. */
    private EventRouter batchHandler(List<Integer> callSizes) {
        EventHandler recording = recordingHandler();
        return EventRouter.builder().onAll("TestEvent", JsonNode.class, (payloads, context) -> {
            callSizes.add(payloads.size());
            for (EventRouter.Payload<JsonNode> payload : payloads) {
                if (payload.value().get("amount").asInt() == 13) {
                    throw new IllegalStateException("event 13 can never be applied");
                }
                recording.handle(payload.event(), context);
            }
        }).build();
    }

    private ConsumerSettings.Builder settings() {
        return ConsumerSettings.builder(servers.kafkaBootstrapServers(), group, List.of(topic))
                .typeByTopic(Map.of(topic, "TestEvent"));
    }

    /** A consumer whose one route sends every TestEvent to {@code handler}. */
    private EventConsumer startConsumer(EventHandler handler, ConsumerSettings.Builder settings) {
        return startConsumer(EventRouter.builder().on("TestEvent", handler).build(), settings);
    }

    private EventConsumer startConsumer(EventRouter router, ConsumerSettings.Builder settings) {
        EventConsumer consumer = EventConsumer.create(database.jdbi(), publisher, router, settings.build()).start();
        toClose.push(consumer);
        return consumer;
    }

    private void startRelay() {
        RelayConfig config = RelayConfig.builder(servers.kafkaBootstrapServers(), "test").pollInterval(Duration.ofMillis(500)).build();
        toClose.push(publisher.outbox().relay(database.dataSource(), config).start());
    }

    /** A consumer on a new database that has applied events event-0 … event-(count-1). */
    private EventConsumer consumerThatApplied(int count) {
        database = MessagingDatabase.create();
        EventConsumer consumer = startConsumer(recordingHandler(), settings());
        sendOrders(count);
        await().atMost(WAIT).until(() -> consumer.metrics().applied() == count);
        return consumer;
    }

    /** Events event-0 … event-(count-1) for orders order-0 … order-(count-1). */
    private void sendOrders(int count) {
        for (int i = 0; i < count; i++) {
            send("order-" + i, "event-" + i, "{\"order_id\":\"order-" + i + "\",\"amount\":" + i + "}");
        }
    }

    private void send(String key, String id, String json) {
        kafka.send(topic, key, json, Map.of(EventHeaders.ID, id, EventHeaders.TYPE, "TestEvent"));
    }

    private void sendMany(int from, int to) {
        for (int i = from; i < to; i++) {
            send("order-" + (i % 7), "event-" + i, "{\"order_id\":\"order-" + (i % 7) + "\",\"amount\":" + i + "}");
        }
    }

    private java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> fromOurTopicRaw() {
        return record -> record.headers().lastHeader("dlq_original_topic") != null
                && topic.equals(new String(record.headers().lastHeader("dlq_original_topic").value(), UTF_8));
    }

    private java.util.function.Predicate<Received> fromOurTopic() {
        return record -> topic.equals(record.headers().get("dlq_original_topic"));
    }

    /** The group's committed offsets over the topic's partitions, added up. */
    private long committedOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    private void awaitEachMemberOwnsAPartition(int members) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers()))) {
            await().atMost(WAIT).until(() -> {
                var group = admin.describeConsumerGroups(List.of(this.group)).all().get().get(this.group);
                return group.members().size() == members
                        && group.members().stream().noneMatch(member -> member.assignment().topicPartitions().isEmpty());
            });
        }
    }

    /** The topics a group has committed offsets for. */
    private Set<String> committedTopics(String consumerGroup) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers()))) {
            return admin.listConsumerGroupOffsets(consumerGroup).partitionsToOffsetAndMetadata().get().keySet().stream()
                    .map(TopicPartition::topic).collect(Collectors.toSet());
        }
    }

    private void rewindGroupToStart() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers()))) {
            admin.alterConsumerGroupOffsets(group, Map.of(
                    new TopicPartition(topic, 0), new OffsetAndMetadata(0),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(0))).all().get();
        }
    }
}
