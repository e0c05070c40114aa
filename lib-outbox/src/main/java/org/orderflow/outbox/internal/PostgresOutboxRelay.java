package org.orderflow.outbox.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.orderflow.outbox.Backoff;
import org.orderflow.outbox.Outbox;
import org.orderflow.outbox.OutboxException;
import org.orderflow.outbox.OutboxMetrics;
import org.orderflow.outbox.OutboxRelay;
import org.orderflow.outbox.ProducerSettings;
import org.orderflow.outbox.RelayConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link OutboxRelay} on PostgreSQL; see the interface for its contract. */
public final class PostgresOutboxRelay implements OutboxRelay {
    private static final Logger log = LoggerFactory.getLogger(PostgresOutboxRelay.class);
    /** The relay lock's key: one per database, the same in every instance of every service. */
    private static final long RELAY_LOCK = 0x6f72_6465_7266_6c6fL; // "orderflo"
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> HEADER_MAP = new TypeReference<>() {
    };
    /**
     * The outbox is a queue: each row is deleted moments after it was inserted, and autovacuum visits a table at most
     * once a minute. Until it does, the dead rows pile up at the head of the id index that every round's
     * {@code ORDER BY id} reads through: at 100 orders/s a round's SELECT took 0.5 to 1.2 ms instead of 0.2. So the
     * relay vacuums the table itself, at most this often, when it deleted rows since the last time.
     */
    private static final long VACUUM_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * A round deletes the rows the round before it had acknowledged, in the statement that reads the next rows: one
     * round trip and one commit a round instead of two (the DELETEs were a quarter of the database's commits at 100
     * orders/s). When no next round comes, a drained relay deletes them after this long.
     */
    private static final Duration DELETE_ACKNOWLEDGED_WITHIN = Duration.ofMillis(100);
    private static final String DELETE_ACKNOWLEDGED_AND_READ_OLDEST = """
            WITH acknowledged AS (DELETE FROM outbox WHERE id = ANY (?) RETURNING id)
            SELECT id, topic, message_key, headers::text, payload FROM outbox
            WHERE id NOT IN (SELECT id FROM acknowledged)
            ORDER BY id LIMIT ?""";

    private final DataSource dataSource;
    private final RelayConfig config;
    private final RelayWakeup wakeup;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running;
    private volatile boolean active;
    private Thread thread;
    private NotifyListener listener;
    private boolean deletedSinceVacuum;
    /** Rows Kafka acknowledged that the next round deletes; read by {@link #metrics()} on other threads. */
    private volatile List<Long> acknowledgedNotDeleted = List.of();
    private long nextVacuum = System.nanoTime();

    /** A relay for the rows {@code outbox} appends; its commits wake the relay in-process. */
    public PostgresOutboxRelay(DataSource dataSource, RelayConfig config, Outbox outbox) {
        if (!(outbox instanceof JdbiOutbox jdbiOutbox)) {
            throw new IllegalArgumentException("The relay needs an Outbox made by Outbox.create(), not " + outbox.getClass());
        }
        this.dataSource = dataSource;
        this.config = config;
        this.wakeup = jdbiOutbox.wakeup();
    }

    @Override
    public synchronized OutboxRelay start() {
        if (thread != null) {
            throw new IllegalStateException("Relay already started");
        }
        running = true;
        listener = new NotifyListener(dataSource, wakeup, config.maxBackoff(), "outbox-notify-listener").start();
        thread = new Thread(this::run, "outbox-relay");
        thread.start();
        return this;
    }

    @Override
    public void close() {
        running = false;
        wakeup.wake(); // a drained relay waits for a wake-up: it sees running is false at once
        Thread relayThread;
        synchronized (this) {
            relayThread = thread;
            if (listener != null) {
                listener.close();
            }
        }
        if (relayThread != null) {
            try {
                relayThread.join(config.pollInterval().plusSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public OutboxMetrics metrics() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(created_at)) * 1000, 0)
                     FROM outbox WHERE id NOT IN (SELECT unnest(CAST(? AS bigint[])))""")) {
            query.setArray(1, connection.createArrayOf("bigint", acknowledgedNotDeleted.toArray()));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new OutboxMetrics(active, row.getLong(1), Duration.ofMillis(row.getLong(2)), published.get(), failures.get());
            }
        } catch (SQLException e) {
            throw new OutboxException("Cannot read outbox metrics", e);
        }
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), config.maxBackoff());
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                if (!tryLock(connection)) {
                    pause(config.pollInterval()); // standby: try again in a poll interval
                    continue;
                }
                try {
                    active = true;
                    log.info("Outbox relay active: this instance publishes");
                    commitDeletesWithoutWaitingForDisk(connection);
                    planRoundsOnce(connection);
                    publishWhileHoldingLock(connection);
                } finally {
                    active = false;
                    wakeup.localRelayActive(false);
                    release(connection);
                }
                backoff.reset();
            } catch (SQLException e) {
                failures.incrementAndGet();
                Duration wait = backoff.next();
                log.warn("Outbox relay lost the database ({}); retrying in {} ms", e.getMessage(), wait.toMillis());
                pause(wait);
            }
        }
    }

    /** Publishes rounds until stopped; returns normally on stop, throws when the database connection fails. */
    private void publishWhileHoldingLock(Connection connection) throws SQLException {
        wakeup.localRelayActive(true);
        Backoff kafkaBackoff = new Backoff(Duration.ofMillis(50), config.maxBackoff());
        Producer<String, byte[]> producer = null;
        try {
            while (running) {
                if (producer == null) {
                    producer = new KafkaProducer<>(ProducerSettings.reliable(config.bootstrapServers(), config.clientId() + "-outbox"));
                }
                int rows;
                try {
                    rows = publishOneRound(connection, producer);
                    kafkaBackoff.reset();
                } catch (KafkaException e) {
                    failures.incrementAndGet();
                    Duration wait = kafkaBackoff.next();
                    log.warn("Outbox relay cannot publish ({}); rows stay, retrying in {} ms", e.getMessage(), wait.toMillis());
                    producer.close(Duration.ZERO); // an idempotent producer that failed is replaced, never reused
                    producer = null;
                    pause(wait);
                    continue;
                }
                vacuumWhenDue(connection);
                if (rows < config.batchSize()) {
                    awaitCommits();
                }
            }
            if (!acknowledgedNotDeleted.isEmpty()) {
                deleteAcknowledgedAndRead(connection, 0); // stopping: a standby taking over must not send them again
            }
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    /**
     * Drained: waits until a commit of this process wakes the relay, another instance NOTIFYs (the
     * {@link NotifyListener} turns that into a wake-up), or the poll interval passes (the fallback for a wake-up lost
     * while the relay or the listener reconnected).
     */
    private void awaitCommits() {
        Duration wait = acknowledgedNotDeleted.isEmpty() ? config.pollInterval() : min(config.pollInterval(), DELETE_ACKNOWLEDGED_WITHIN);
        try {
            wakeup.await(wait.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * One round: delete what the round before had acknowledged and read the oldest pending rows, send them all, wait
     * for every acknowledgement; the acknowledged are deleted by the next round.
     */
    private int publishOneRound(Connection connection, Producer<String, byte[]> producer) throws SQLException {
        List<PendingRow> rows = deleteAcknowledgedAndRead(connection, config.batchSize());
        if (rows.isEmpty()) {
            return 0;
        }
        List<SendOutcome> outcomes = new ArrayList<>(rows.size());
        try {
            for (PendingRow row : rows) {
                SendOutcome outcome = new SendOutcome(row.id());
                outcomes.add(outcome);
                producer.send(row.toRecord(), (metadata, error) -> outcome.error = error);
                if (outcome.error != null) {
                    // send() reports a metadata timeout through the callback after blocking max.block.ms: stop the
                    // round here instead of blocking that long for every remaining row.
                    break;
                }
            }
        } finally {
            producer.flush(); // returns once every record sent so far is acknowledged or failed
        }
        List<Long> acknowledged = outcomes.stream().filter(o -> o.error == null).map(o -> o.id).toList();
        acknowledgedNotDeleted = acknowledged;
        published.addAndGet(acknowledged.size());
        outcomes.stream().filter(o -> o.error != null).findFirst().ifPresent(failed -> {
            throw failed.error instanceof KafkaException kafka ? kafka : new KafkaException(failed.error);
        });
        if (acknowledged.size() < rows.size()) {
            throw new KafkaException((rows.size() - acknowledged.size()) + " records were not sent");
        }
        return rows.size();
    }

    /**
     * Deletes what the last round had acknowledged and reads the oldest {@code limit} pending rows, in one statement.
     * Its DELETE and SELECT see the same snapshot: the SELECT leaves out the rows being deleted itself. The DELETE runs
     * to its end whatever the SELECT reads, so a limit of 0 only deletes.
     */
    private List<PendingRow> deleteAcknowledgedAndRead(Connection connection, int limit) throws SQLException {
        List<Long> acknowledged = acknowledgedNotDeleted;
        List<PendingRow> rows = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(DELETE_ACKNOWLEDGED_AND_READ_OLDEST)) {
            query.setArray(1, connection.createArrayOf("bigint", acknowledged.toArray()));
            query.setInt(2, limit);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new PendingRow(result.getLong(1), result.getString(2), result.getString(3),
                            parseHeaders(result.getString(4)), result.getBytes(5)));
                }
            }
        }
        if (!acknowledged.isEmpty()) {
            acknowledgedNotDeleted = List.of();
            deletedSinceVacuum = true;
        }
        return rows;
    }

    private static Duration min(Duration first, Duration second) {
        return first.compareTo(second) <= 0 ? first : second;
    }

    /**
     * SKIP_LOCKED: when autovacuum is at it, there is nothing to do. TRUNCATE false: giving the empty pages at the end
     * back to the file system takes an exclusive lock that makes every transaction appending to the outbox wait (the
     * hop benchmark's max went from 39 to 108 ms with it); the pages are reused anyway. A role that does not own the
     * table gets a warning.
     */
    private void vacuumWhenDue(Connection connection) throws SQLException {
        if (!deletedSinceVacuum || System.nanoTime() < nextVacuum) {
            return;
        }
        try (Statement vacuum = connection.createStatement()) {
            vacuum.execute("VACUUM (SKIP_LOCKED, TRUNCATE false) outbox");
        }
        deletedSinceVacuum = false;
        nextVacuum = System.nanoTime() + VACUUM_INTERVAL_NANOS;
    }

    /**
     * The relay's only writes are its DELETEs of rows Kafka has acknowledged. Should the server crash before one of
     * them reaches the disk, the rows come back and are published again: a duplicate, which every consumer's inbox
     * drops, as it drops the duplicates of a relay that died between the acknowledgement and the DELETE. So the relay
     * need not wait for each DELETE's WAL flush: that is a quarter of the database's fsyncs at 100 orders/s, and a
     * flush less on every round's path. Every other transaction keeps the server's {@code synchronous_commit}.
     */
    private static void commitDeletesWithoutWaitingForDisk(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET synchronous_commit TO off");
        }
    }

    /**
     * The round's statement runs hundreds of times a second with the same shape, and its generic plan (through the
     * primary key) is right for every size of the outbox. Left to choose, PostgreSQL sometimes keeps planning it afresh
     * for each call: at 100 orders/s one of the five relays did, and its statement cost three times the others'.
     */
    private static void planRoundsOnce(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode TO force_generic_plan");
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /** The connection goes back to a pool: it must not keep the lock, nor the relay's session settings. */
    private static void release(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("RESET synchronous_commit");
            statement.execute("RESET plan_cache_mode");
            statement.execute("SELECT pg_advisory_unlock(" + RELAY_LOCK + ")");
        } catch (SQLException e) {
            log.debug("Could not release the relay lock (the session is gone, and with it the lock)", e);
        }
    }

    private static Map<String, String> parseHeaders(String json) {
        try {
            return JSON.readValue(json, HEADER_MAP);
        } catch (java.io.IOException e) {
            throw new OutboxException("Outbox row with unreadable headers: " + json, e);
        }
    }

    private void pause(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (running && System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private record PendingRow(long id, String topic, String key, Map<String, String> headers, byte[] payload) {
        ProducerRecord<String, byte[]> toRecord() {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, payload);
            headers.forEach((name, value) -> record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
            return record;
        }
    }

    private static final class SendOutcome {
        private final long id;
        private volatile Exception error;

        SendOutcome(long id) {
            this.id = id;
        }
    }
}
