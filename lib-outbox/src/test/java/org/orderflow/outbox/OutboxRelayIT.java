package org.orderflow.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.BlackHoleProxy;
import org.orderflow.devstack.LocalKafka;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestKafka;
import org.orderflow.devstack.TestKafka.Received;

class OutboxRelayIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RealServers servers = RealServers.shared();
    private final TestKafka kafka = new TestKafka(servers.kafkaBootstrapServers());
    private final Outbox outbox = Outbox.create();
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private OutboxDatabase database;
    private String topic;

    @BeforeEach
    void setUp() {
        database = OutboxDatabase.create();
        topic = kafka.newTopic("outbox", 3);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        database.close();
    }

    @Test
    void committedAppendIsPublishedWithKeyAndHeadersThenDeleted() {
        startRelay(servers.kafkaBootstrapServers());

        database.jdbi().useTransaction(handle -> outbox.append(handle,
                OutboxMessage.json(topic, "order-1", Map.of("ce_id", "e-1", "ce_type", "OrderReceived"), "{\"order_id\":\"order-1\"}")));

        List<Received> received = kafka.read(topic, 1, WAIT);
        assertThat(received).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("order-1");
            assertThat(record.headers()).containsEntry("ce_id", "e-1").containsEntry("ce_type", "OrderReceived");
            assertThat(record.value()).contains("\"order_id\"", "\"order-1\"");
        });
        await().atMost(WAIT).until(() -> database.pendingRows() == 0);
    }

    @Test
    void commitWakesTheRelayOfItsProcessWithoutWaitingForThePoll() {
        OutboxRelay relay = startRelay(servers.kafkaBootstrapServers(), Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> relay.metrics().active());

        database.jdbi().useTransaction(handle -> outbox.append(handle, message("order-local", 1)));

        assertThat(kafka.read(topic, 1, Duration.ofSeconds(20))).extracting(Received::key).containsExactly("order-local");
    }

    @Test
    void commitOfAnotherInstanceWakesTheActiveRelayByNotify() {
        OutboxRelay relay = startRelay(servers.kafkaBootstrapServers(), Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> relay.metrics().active());
        Outbox otherInstance = Outbox.create(); // its own relay is not the active one: its commits NOTIFY

        database.jdbi().useTransaction(handle -> otherInstance.append(handle, message("order-remote", 1)));

        assertThat(kafka.read(topic, 1, Duration.ofSeconds(20))).extracting(Received::key).containsExactly("order-remote");
    }

    @Test
    void notifyListenerWhoseConnectionWasKilledListensAgain() {
        OutboxRelay relay = startRelay(servers.kafkaBootstrapServers(), Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> relay.metrics().active() && listenerBackends().size() == 1);
        int killed = listenerBackends().get(0);

        database.jdbi().useHandle(handle -> handle.select("SELECT pg_terminate_backend(?)", killed).mapTo(Boolean.class).one());
        await().atMost(WAIT).until(() -> listenerBackends().size() == 1 && !listenerBackends().contains(killed));
        Outbox otherInstance = Outbox.create(); // its commits NOTIFY, and only the listener can hear them in time
        database.jdbi().useTransaction(handle -> otherInstance.append(handle, message("order-after-reconnect", 1)));

        assertThat(kafka.read(topic, 1, Duration.ofSeconds(20))).extracting(Received::key).containsExactly("order-after-reconnect");
    }

    @Test
    void relayVacuumsTheOutboxItDrains() {
        startRelay(servers.kafkaBootstrapServers());

        appendSequence("v", 0, 50);

        kafka.read(topic, 50, WAIT);
        await().atMost(WAIT).until(() -> database.pendingRows() == 0 && database.manualVacuums() > 0);
    }

    @Test
    void stoppedRelayGivesItsConnectionBackWithTheServersCommitSetting() throws Exception {
        OutboxRelay relay = startRelay(servers.kafkaBootstrapServers());
        appendSequence("s", 0, 10);
        await().atMost(WAIT).until(() -> database.pendingRows() == 0);

        relay.close();

        List<Handle> everyPooledConnection = new ArrayList<>();
        try {
            for (int i = 0; i < database.dataSource().getMaximumPoolSize(); i++) {
                everyPooledConnection.add(database.jdbi().open());
            }
            assertThat(everyPooledConnection).extracting(handle ->
                    handle.createQuery("SHOW synchronous_commit").mapTo(String.class).one()).containsOnly("on");
        } finally {
            everyPooledConnection.forEach(Handle::close);
        }
    }

    @Test
    void stoppedRelayLeavesNoRowItPublished() {
        OutboxRelay relay = startRelay(servers.kafkaBootstrapServers(), Duration.ofMinutes(5));
        appendSequence("d", 0, 10);
        // Stopped at once: well before a drained relay would delete the rows of its last round by itself.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> relay.metrics().publishedCount() == 10);

        relay.close();

        assertThat(database.pendingRows()).isZero();
    }

    @Test
    void rolledBackAppendIsNeverPublished() {
        startRelay(servers.kafkaBootstrapServers());

        try (Handle handle = database.jdbi().open()) {
            handle.begin();
            outbox.append(handle, message("order-rolled-back", 1));
            handle.rollback();
        }
        database.jdbi().useTransaction(handle -> outbox.append(handle, message("order-committed", 1)));

        List<Received> received = kafka.readAll(topic, Duration.ofSeconds(3));
        assertThat(received).extracting(Received::key).containsExactly("order-committed");
    }

    @Test
    void backlogIsPublishedInAppendOrderPerKey() {
        int perKey = 300;
        List<String> keys = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        for (int batch = 0; batch < perKey; batch += 100) {
            int from = batch;
            database.jdbi().useTransaction(handle -> {
                List<OutboxMessage> messages = new ArrayList<>();
                for (int sequence = from; sequence < from + 100; sequence++) {
                    for (String key : keys) {
                        messages.add(message(key, sequence));
                    }
                }
                outbox.appendAll(handle, messages);
            });
        }

        startRelay(servers.kafkaBootstrapServers());

        List<Received> received = kafka.read(topic, keys.size() * perKey, WAIT);
        assertThat(received).hasSize(keys.size() * perKey);
        assertOrderedPerKey(received);
        await().atMost(WAIT).until(() -> database.pendingRows() == 0);
    }

    @Test
    void transactionCommittingAfterALaterOneIsNotSkipped() throws Exception {
        startRelay(servers.kafkaBootstrapServers());
        CountDownLatch slowAppended = new CountDownLatch(1);
        CountDownLatch fastPublished = new CountDownLatch(1);

        // The slow transaction takes the lower id, then stays open while a later one commits and is published.
        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> {
            try {
                database.jdbi().useTransaction(handle -> {
                    outbox.append(handle, message("slow", 0));
                    slowAppended.countDown();
                    fastPublished.await();
                });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        slowAppended.await();
        database.jdbi().useTransaction(handle -> outbox.append(handle, message("fast", 0)));
        assertThat(kafka.read(topic, 1, WAIT)).extracting(Received::key).containsExactly("fast");
        fastPublished.countDown();
        slow.get();

        assertThat(kafka.read(topic, 2, WAIT)).extracting(Received::key).containsExactlyInAnyOrder("fast", "slow");
    }

    @Test
    void twoRelaysOnOneDatabaseOnePublishesAndTheStandbyTakesOver() {
        OutboxRelay first = startRelay(servers.kafkaBootstrapServers());
        await().atMost(WAIT).until(() -> first.metrics().active());
        OutboxRelay second = startRelay(servers.kafkaBootstrapServers());
        appendSequence("k", 0, 200);

        await().atMost(WAIT).until(() -> database.pendingRows() == 0);
        assertThat(second.metrics().active()).isFalse();
        assertThat(second.metrics().publishedCount()).isZero();

        first.close();
        appendSequence("k", 200, 400);

        await().atMost(WAIT).until(() -> second.metrics().active() && database.pendingRows() == 0);
        List<Received> received = kafka.read(topic, 400, WAIT);
        assertThat(received).hasSize(400);
        assertOrderedPerKey(received);
        assertThat(second.metrics().publishedCount()).isEqualTo(200);
    }

    @Test
    void kafkaStoppedWhileAppendingKeepsRowsAndDrainsThemInOrderAfterRestart() {
        LocalKafka dedicated = RealServers.dedicatedKafka();
        toClose.push(dedicated::stop);
        TestKafka dedicatedKafka = new TestKafka(dedicated.bootstrapServers());
        topic = dedicatedKafka.newTopic("outage", 3);
        OutboxRelay relay = startRelay(dedicated.bootstrapServers());
        appendSequence("k", 0, 50);
        await().atMost(WAIT).until(() -> database.pendingRows() == 0);

        dedicated.stop();
        appendSequence("k", 50, 300);
        await().atMost(WAIT).until(() -> relay.metrics().failureCount() > 0);
        assertThat(database.pendingRows()).isEqualTo(250);

        dedicated.start(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> database.pendingRows() == 0);

        List<Received> received = dedicatedKafka.read(topic, 300, WAIT);
        assertThat(received.stream().map(Received::value).distinct()).hasSize(300);
        assertOrderedPerKey(received);
    }

    /** The backends of this test's database that LISTEN for the outbox: the relay's NOTIFY listener. */
    private List<Integer> listenerBackends() {
        return database.jdbi().withHandle(handle -> handle.select(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN outbox'")
                .mapTo(Integer.class).list());
    }

    private OutboxRelay startRelay(String bootstrapServers) {
        return startRelay(bootstrapServers, Duration.ofMillis(500));
    }

    private OutboxRelay startRelay(String bootstrapServers, Duration pollInterval) {
        return startRelay(testConfig(bootstrapServers).pollInterval(pollInterval).build());
    }

    private OutboxRelay startRelay(RelayConfig config) {
        return startRelay(database.dataSource(), config);
    }

    private OutboxRelay startRelay(DataSource dataSource, RelayConfig config) {
        OutboxRelay relay = outbox.relay(dataSource, config).start();
        toClose.push(relay);
        return relay;
    }

    private static RelayConfig.Builder testConfig(String bootstrapServers) {
        return RelayConfig.builder(bootstrapServers, "test").batchSize(500).pollInterval(Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(1));
    }

    @Test
    void rowKafkaRefusesForGoodIsParkedAndTheRowsAfterItArePublished() {
        OutboxRelay relay = startRelay(servers.kafkaBootstrapServers());
        byte[] tooLarge = new byte[2 * 1024 * 1024]; // over the producer's max.request.size (1 MiB)

        database.jdbi().useTransaction(handle -> {
            outbox.append(handle, new OutboxMessage(topic, "big", Map.of("ce_id", "big-1"), tooLarge));
            outbox.append(handle, message("after", 1));
        });

        assertThat(kafka.read(topic, 1, WAIT)).extracting(Received::key).containsExactly("after");
        await().atMost(WAIT).until(() -> database.pendingRows() == 0);
        assertThat(relay.metrics().parkedRows()).isEqualTo(1);
        String parked = database.jdbi().withHandle(h -> h.createQuery("SELECT message_key || ' ' || error FROM outbox_parked")
                .mapTo(String.class).one());
        assertThat(parked).startsWith("big ").contains("RecordTooLargeException");
        assertThat(relay.problem()).isEmpty();
    }

    @Test
    void relayWhoseProducerCannotBeBuiltKeepsTryingAndReportsTheStall() {
        // The producer's constructor refuses a bootstrap address that does not resolve.
        OutboxRelay relay = startRelay(testConfig("no-such-host.invalid:9092").stallAfter(Duration.ofSeconds(1)).build());

        database.jdbi().useTransaction(handle -> outbox.append(handle, message("stuck", 1)));

        await().atMost(WAIT).until(() -> relay.metrics().failureCount() >= 3);
        await().atMost(WAIT).until(() -> relay.problem().isPresent());
        assertThat(relay.problem().orElseThrow()).startsWith("outbox stalled");
        assertThat(database.pendingRows()).isEqualTo(1);
    }

    @Test
    void verbatimHeadersArePublishedByteForByteBeforeTheTextHeaders() {
        startRelay(servers.kafkaBootstrapServers());
        byte[] binary = {0, 1, (byte) 0xff, 0, 'x'};

        database.jdbi().useTransaction(handle -> outbox.append(handle, new OutboxMessage(topic, "k", Map.of("dlq_service", "test"),
                List.of(new OutboxMessage.VerbatimHeader("ce_id", binary), new OutboxMessage.VerbatimHeader("empty", null)),
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))));

        Received received = kafka.read(topic, 1, WAIT).get(0);
        assertThat(received.headerBytes()).extracting(Map.Entry::getKey).containsExactly("ce_id", "empty", "dlq_service");
        assertThat(received.headerBytes().get(0).getValue()).isEqualTo(binary);
        assertThat(received.headerBytes().get(1).getValue()).isNull();
    }

    @Test
    void standbyTakesOverFromALeaderWhoseConnectionWentSilent() throws Exception {
        BlackHoleProxy proxy = new BlackHoleProxy(database.port());
        toClose.push(proxy);
        HikariDataSource throughProxy = database.poolThrough(proxy.port());
        toClose.push(throughProxy);
        RelayConfig config = testConfig(servers.kafkaBootstrapServers()).leaderSilence(Duration.ofSeconds(5)).build();
        OutboxRelay leader = startRelay(throughProxy, config);
        await().atMost(WAIT).until(() -> leader.metrics().active());
        OutboxRelay standby = startRelay(config);

        proxy.blackHole(); // the leader's session stays open on the server, and with it the relay lock
        long cutAt = System.nanoTime();
        database.jdbi().useTransaction(handle -> outbox.append(handle, message("after-cut", 1)));

        assertThat(kafka.read(topic, 1, Duration.ofSeconds(45))).extracting(Received::key).containsExactly("after-cut");
        assertThat(Duration.ofNanos(System.nanoTime() - cutAt)).isLessThan(Duration.ofSeconds(20)); // 5 s of silence, then polls
        assertThat(standby.metrics().active()).isTrue();
    }

    private void appendSequence(String key, int from, int to) {
        database.jdbi().useTransaction(handle -> {
            for (int sequence = from; sequence < to; sequence++) {
                outbox.append(handle, message(key, sequence));
            }
        });
    }

    private OutboxMessage message(String key, int sequence) {
        return OutboxMessage.json(topic, key, Map.of("ce_id", key + "-" + sequence), "{\"key\":\"" + key + "\",\"sequence\":" + sequence + "}");
    }

    /** Each key's sequence numbers arrive ascending (a re-sent record may repeat, never go back). */
    private static void assertOrderedPerKey(List<Received> received) {
        Map<String, Integer> lastSequence = new LinkedHashMap<>();
        for (Received record : received) {
            int sequence = Integer.parseInt(record.value().replaceAll(".*\"sequence\": ?(\\d+).*", "$1"));
            Integer previous = lastSequence.put(record.key(), sequence);
            if (previous != null) {
                assertThat(sequence).as("sequence of key %s after %s", record.key(), previous).isGreaterThanOrEqualTo(previous);
            }
        }
    }
}
