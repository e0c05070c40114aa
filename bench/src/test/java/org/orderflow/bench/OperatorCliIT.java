package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderflow.bench.TestSystem.WAIT;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderflow.cli.Main;
import org.orderflow.cli.Settings;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestKafka;
import org.orderflow.contract.Topics;

/** scripts/orderflow against the five services on the real Kafka and PostgreSQL. */
class OperatorCliIT {
    private static TestSystem system;

    @BeforeAll
    static void startTheSystem() {
        system = new TestSystem(Map.of());
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @Test
    void aRecordWithANulHeaderIsListedAndShownByteForByte() {
        String marker = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        ProducerRecord<byte[], byte[]> poison = new ProducerRecord<>(Topics.ORDER_RECEIVED, marker.getBytes(StandardCharsets.UTF_8),
                ("not json " + marker).getBytes(StandardCharsets.UTF_8));
        poison.headers().add("h1", new byte[] {'a', 0, 'b'});
        system.kafka.sendRaw(poison);

        String id = await().atMost(WAIT).until(() -> idOf(orderflow(0, "dlq", "list", "--service", "svc-order", "--since", "5m"), marker),
                found -> found != null);
        String shown = orderflow(0, "dlq", "show", id);

        assertThat(shown).contains("dlq_service                  svc-order", "dlq_original_topic           OrderReceived",
                "h1                           0x610062 (3 bytes, not printable text)", marker);
    }

    /** A dead letter of a valid order, as one a consumer since mended left: replayed twice, it is placed once. */
    @Test
    void aDeadLetterReplayedTwiceIsAppliedOnceAndTheOrderShips() {
        String orderId = "replayed-" + UUID.randomUUID();
        ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>(Topics.DEAD_LETTER_QUEUE, null,
                ("{\"order_id\":\"" + orderId + "\",\"customer_id\":\"cust-replay\",\"items\":[{\"product_id\":\"sku-mouse\",\"quantity\":1,"
                        + "\"price\":19.99}],\"total\":19.99,\"timestamp\":\"2026-11-23T10:00:00Z\"}").getBytes(StandardCharsets.UTF_8));
        Map.of("dlq_original_topic", Topics.ORDER_RECEIVED, "dlq_original_partition", "0", "dlq_original_offset", "0",
                        "dlq_service", "svc-order", "dlq_exception_class", "java.lang.IllegalStateException", "dlq_exception_message", orderId)
                .forEach((name, value) -> deadLetter.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        system.kafka.sendRaw(deadLetter);
        String id = await().atMost(WAIT).until(() -> idOf(orderflow(0, "dlq", "list", "--topic", "OrderReceived", "--since", "5m"), orderId),
                found -> found != null);

        assertThat(orderflow(0, "dlq", "replay", id)).contains(id + ": replayed to OrderReceived", "1 replayed, 0 not");
        assertThat(orderflow(0, "dlq", "replay", id)).contains("1 replayed, 0 not");

        system.awaitStatus(orderId, "SHIPPED");
        TestKafka.Received second = system.kafka.read(Topics.ORDER_RECEIVED, record -> record.value().contains(orderId), 2, WAIT).get(1);
        for (String group : List.of("svc-order", "svc-inventory")) { // both have seen the second replay
            await().atMost(WAIT).until(() -> system.kafka.committedOffset(group, Topics.ORDER_RECEIVED, second.partition()) > second.offset());
        }
        assertThat(system.awaitNotifications(orderId, 4)).containsExactlyInAnyOrder("ORDER_RECEIVED", "ORDER_CONFIRMED",
                "ORDER_PICKED_AND_PACKED", "ORDER_SHIPPED");
        assertThat(TestSystem.statuses(system.order(orderId))).containsExactly("RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED");
        assertThat(orderflow(1, "dlq", "replay", "0@999999999")).contains("no such dead letter");
        assertThat(orderflow(2, "dlq", "replay")).contains("Name the dead letters to replay, or --all");
    }

    @Test
    void parkedRowsAreListedRetriedAndDropped() {
        Jdbi orders = database("order");
        orders.useHandle(handle -> handle.execute("INSERT INTO outbox (topic, message_key, payload) VALUES (?, 'cli-too-large', ?)",
                Topics.NOTIFICATION, new byte[2 * 1024 * 1024]));
        await().atMost(WAIT).until(() -> orderflow(0, "outbox", "parked", "list", "--service", "order").contains("cli-too-large"));
        assertThat(orderflow(0, "outbox", "status", "--service", "svc-order")).containsPattern("svc-order +0 +[0-9.]+s +1  backend \\d+");
        long id = parkedId(orders);

        assertThat(orderflow(0, "outbox", "parked", "retry", "--service", "order", Long.toString(id))).contains("is back in the outbox");
        await().atMost(WAIT).until(() -> parkedIdOrZero(orders) > id); // refused again, parked again under its new id
        long again = parkedId(orders);
        assertThat(orderflow(0, "outbox", "parked", "retry", "--service", "order", "--all")).contains("1 retried, 0 not");
        await().atMost(WAIT).until(() -> parkedIdOrZero(orders) > again);
        assertThat(orderflow(2, "outbox", "parked", "retry", "--service", "order")).contains("Name the parked rows to retry, or --all");
        assertThat(orderflow(0, "outbox", "parked", "drop", "--service", "order", Long.toString(parkedId(orders)))).contains("dropped");
        assertThat(orderflow(0, "outbox", "parked", "list", "--service", "order")).contains("0 parked row(s)");
        assertThat(orderflow(1, "outbox", "parked", "drop", "--service", "order", Long.toString(id))).contains("No parked row");
    }

    @Test
    void anOrderWaitingForAStoppedServiceIsListedAsStuckWithThatService() {
        system.stop("warehouse");
        try {
            String orderId = system.placedOrderId("cust-stuck", "sku-mouse", 1);
            system.awaitStatus(orderId, "CONFIRMED");
            await().atMost(WAIT).untilAsserted(() -> assertThat(orderflow(0, "orders", "stuck", "--older-than", "1s"))
                    .containsPattern(orderId + " +CONFIRMED .* svc-warehouse \\(pick and pack\\)"));
        } finally {
            system.start("warehouse");
        }
        assertThat(orderflow(2, "orders", "stuck", "--older-than", "soon")).contains("is not a duration");
    }

    @Test
    void kafkaClientSettingsComeFromAPropertiesFileAndAReservedOneIsAUsageError(@TempDir Path dir) throws IOException {
        Path client = Files.writeString(dir.resolve("client.properties"), "security.protocol=PLAINTEXT\nrequest.timeout.ms=20000\n");
        Path reserved = Files.writeString(dir.resolve("reserved.properties"), "enable.auto.commit=true\n");

        orderflow(Map.of("KAFKA_PROPERTIES_FILE", client.toString()), 0, "dlq", "list", "--since", "1m");
        assertThat(orderflow(Map.of("KAFKA_PROPERTIES_FILE", reserved.toString()), 2, "dlq", "list"))
                .contains("reserved.properties", "enable.auto.commit is set by the runtime");
    }

    private static String orderflow(int expectedExitCode, String... args) {
        return orderflow(Map.of(), expectedExitCode, args);
    }

    /** Runs the CLI as scripts/orderflow would, against the test system with {@code extra} settings; asserts its exit code; returns what it printed. */
    private static String orderflow(Map<String, String> extra, int expectedExitCode, String... args) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("KAFKA_BOOTSTRAP_SERVERS", RealServers.shared().kafkaBootstrapServers());
        for (String service : Settings.SERVICES) {
            String prefix = service.toUpperCase(Locale.ROOT) + "_";
            system.environment(service).forEach((name, value) -> {
                if (name.startsWith("DB_")) {
                    env.put(prefix + name, value);
                }
            });
        }
        StringWriter out = new StringWriter();
        int exitCode = Main.run(env, new PrintWriter(out, true), new PrintWriter(out, true), args);
        assertThat(exitCode).as(String.join(" ", args) + " printed:\n" + out).isEqualTo(expectedExitCode);
        return out.toString();
    }

    /** The id of the listed dead letter whose line mentions {@code marker}; null when none does. */
    private static String idOf(String listed, String marker) {
        return listed.lines().filter(line -> line.contains(marker)).map(line -> line.split(" ")[0]).findFirst().orElse(null);
    }

    private static long parkedId(Jdbi database) {
        return database.withHandle(handle -> handle.createQuery("SELECT max(id) FROM outbox_parked").mapTo(Long.class).one());
    }

    private static long parkedIdOrZero(Jdbi database) {
        return database.withHandle(handle -> handle.createQuery("SELECT coalesce(max(id), 0) FROM outbox_parked").mapTo(Long.class).one());
    }

    private static Jdbi database(String service) {
        Map<String, String> environment = system.environment(service);
        return Jdbi.create(environment.get("DB_URL"), environment.get("DB_USER"), environment.get("DB_PASSWORD"));
    }
}
