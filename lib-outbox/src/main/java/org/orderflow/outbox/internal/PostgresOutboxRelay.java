package org.orderflow.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
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

    private final DataSource dataSource;
    private final RelayConfig config;
    private final RelayWakeup wakeup;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running;
    private volatile boolean active;
    private volatile String stoppedBy;
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
        thread = new Thread(this::runUntilStopped, "outbox-relay");
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
        try (Connection connection = dataSource.getConnection()) {
            OutboxTable.Counts table = OutboxTable.counts(connection, acknowledgedNotDeleted);
            return new OutboxMetrics(active, table.pendingRows(), table.oldestPendingAge(), table.parkedRows(), published.get(),
                    parked.get(), failures.get());
        } catch (SQLException e) {
            throw new OutboxException("Cannot read outbox metrics", e);
        }
    }

    @Override
    public Optional<String> problem() {
        Thread relayThread = thread;
        if (relayThread != null && !relayThread.isAlive() && running) {
            return Optional.of("the outbox relay thread ended: " + stoppedBy);
        }
        Duration oldest = metrics().oldestPendingAge();
        if (oldest.compareTo(config.stallAfter()) > 0) {
            return Optional.of("outbox stalled: its oldest pending row is " + oldest.toSeconds() + " s old (limit "
                    + config.stallAfter().toSeconds() + " s); the relay cannot publish, see its log");
        }
        return Optional.empty();
    }

    /** Nothing ends the relay but {@link #close()}: whatever a pass throws is logged, backed off, and tried again. */
    private void runUntilStopped() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), config.maxBackoff());
        try {
            while (running) {
                try {
                    holdLockAndPublish();
                    backoff.reset();
                } catch (SQLException | RuntimeException e) {
                    failures.incrementAndGet();
                    Duration wait = backoff.next();
                    log.warn("Outbox relay failed ({}); retrying in {} ms", e.toString(), wait.toMillis());
                    pause(wait);
                }
            }
        } catch (Error e) {
            stoppedBy = e.toString();
            log.error("Outbox relay thread ended; /ready fails until the service is restarted", e);
            throw e;
        }
    }

    /** One leadership: take the lock (or stand by a poll interval), publish until stopped or the connection fails. */
    private void holdLockAndPublish() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (!RelayLeadership.tryLock(connection)) {
                if (!RelayLeadership.endSilentHolder(connection, config.leaderSilence())) {
                    pause(config.pollInterval()); // standby: try again in a poll interval
                }
                return;
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
                RelayLeadership.release(connection);
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
                Round round;
                try {
                    if (producer == null) {
                        producer = new KafkaProducer<>(ProducerSettings.reliable(config.bootstrapServers(), config.clientId() + "-outbox"));
                    }
                    round = publishOneRound(connection, producer);
                    kafkaBackoff.reset();
                } catch (KafkaException e) {
                    failures.incrementAndGet();
                    Duration wait = kafkaBackoff.next();
                    log.warn("Outbox relay cannot publish ({}); rows stay, retrying in {} ms", e.getMessage(), wait.toMillis());
                    closeQuietly(producer); // an idempotent producer that failed is replaced, never reused
                    producer = null;
                    pause(wait);
                    continue;
                }
                if (round.parked() > 0) { // the producer that refused them is not reused either
                    closeQuietly(producer);
                    producer = null;
                }
                vacuumWhenDue(connection);
                if (round.read() < config.batchSize()) {
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
     * for every acknowledgement; the acknowledged are deleted by the next round. A row Kafka refuses for good
     * ({@link Refusals#isPermanent}) is parked, and the round goes on without it.
     */
    private Round publishOneRound(Connection connection, Producer<String, byte[]> producer) throws SQLException {
        List<PendingRow> rows = deleteAcknowledgedAndRead(connection, config.batchSize());
        if (rows.isEmpty()) {
            return new Round(0, 0);
        }
        List<SendOutcome> outcomes = new ArrayList<>(rows.size());
        try {
            for (PendingRow row : rows) {
                SendOutcome outcome = new SendOutcome(row.id());
                outcomes.add(outcome);
                producer.send(row.toRecord(), (metadata, error) -> outcome.error = error);
                if (outcome.error != null && !Refusals.isPermanent(outcome.error)) {
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
        int parkedNow = park(connection, outcomes);
        outcomes.stream().filter(o -> o.error != null && !Refusals.isPermanent(o.error)).findFirst().ifPresent(failed -> {
            throw failed.error instanceof KafkaException kafka ? kafka : new KafkaException(failed.error);
        });
        if (acknowledged.size() + parkedNow < rows.size()) {
            throw new KafkaException((rows.size() - acknowledged.size() - parkedNow) + " records were not sent");
        }
        return new Round(rows.size(), parkedNow);
    }

    private int park(Connection connection, List<SendOutcome> outcomes) throws SQLException {
        int count = 0;
        for (SendOutcome outcome : outcomes) {
            if (outcome.error != null && Refusals.isPermanent(outcome.error)) {
                OutboxTable.park(connection, outcome.id, outcome.error.toString());
                parked.incrementAndGet();
                count++;
                log.error("Outbox row {} parked: Kafka refused it for good ({}); the rows after it go on. "
                        + "See `orderflow outbox parked list`", outcome.id, outcome.error.toString());
            }
        }
        return count;
    }

    private List<PendingRow> deleteAcknowledgedAndRead(Connection connection, int limit) throws SQLException {
        List<Long> acknowledged = acknowledgedNotDeleted;
        List<PendingRow> rows = OutboxTable.deleteAndReadOldest(connection, acknowledged, limit);
        if (!acknowledged.isEmpty()) {
            acknowledgedNotDeleted = List.of();
            deletedSinceVacuum = true;
        }
        return rows;
    }

    private static Duration min(Duration first, Duration second) {
        return first.compareTo(second) <= 0 ? first : second;
    }

    private void vacuumWhenDue(Connection connection) throws SQLException {
        if (!deletedSinceVacuum || System.nanoTime() < nextVacuum) {
            return;
        }
        OutboxTable.vacuum(connection);
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

    private static void closeQuietly(Producer<String, byte[]> producer) {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                log.debug("Closing a failed producer failed", e);
            }
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

    /** What a round did: rows read, and of those parked. */
    private record Round(int read, int parked) {
    }

    private static final class SendOutcome {
        private final long id;
        private volatile Exception error;

        SendOutcome(long id) {
            this.id = id;
        }
    }
}
