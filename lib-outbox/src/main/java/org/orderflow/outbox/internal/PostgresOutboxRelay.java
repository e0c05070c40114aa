package org.orderflow.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.orderflow.outbox.NotifyListener;
import org.orderflow.outbox.OutboxMetrics;
import org.orderflow.outbox.OutboxRelay;
import org.orderflow.outbox.RelayConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link OutboxRelay} on PostgreSQL; see the interface for its contract. This class is the relay's loop and life:
 * leadership ({@link RelayLeadership}), rounds, waiting. The table's statements are in {@link OutboxTable}, the
 * acknowledged rows and vacuuming in {@link AcknowledgedRows}, a round's sending in {@link RoundSender}, the
 * producer's life in {@link RelayProducer}.
 */
final class PostgresOutboxRelay implements OutboxRelay {
    private static final Logger log = LoggerFactory.getLogger(PostgresOutboxRelay.class);
    /**
     * A round deletes the rows the round before it had acknowledged, in the statement that reads the next rows: one
     * round trip and one commit a round instead of two (the DELETEs were a quarter of the database's commits at 100
     * orders/s). When no next round comes, a drained relay deletes them after this long.
     */
    private static final Duration DELETE_ACKNOWLEDGED_WITHIN = Duration.ofMillis(100);

    private final DataSource dataSource;
    private final RelayConfig config;
    private final RelayWakeup wakeup;
    private final RelayMeters meters;
    private final RelayTracing tracing;
    private volatile boolean running;
    private volatile boolean active;
    private volatile String stoppedBy;
    private Thread thread;
    private NotifyListener listener;
    private final AcknowledgedRows acknowledged;

    /** A relay woken in-process by the commits that append through {@code wakeup}'s outbox. */
    PostgresOutboxRelay(DataSource dataSource, RelayConfig config, RelayWakeup wakeup) {
        this.dataSource = dataSource;
        this.config = config;
        this.wakeup = wakeup;
        this.acknowledged = new AcknowledgedRows(config.clock());
        this.meters = new RelayMeters(config.meterRegistry(), config.clock(), () -> acknowledged.pendingCounts(dataSource), () -> active);
        this.tracing = new RelayTracing(config.openTelemetry());
    }

    @Override
    public synchronized OutboxRelay start() {
        if (thread != null) {
            throw new IllegalStateException("Relay already started");
        }
        running = true;
        // A NOTIFY is a commit in another instance, whose relay stands by. One sent while nothing listened is lost:
        // the relay wakes once on each (re)connection to read what is there; meanwhile only this process's own
        // commits and the poll interval wake it.
        listener = NotifyListener.on("outbox", dataSource::getConnection).threadName("outbox-notify-listener").maxBackoff(config.maxBackoff())
                .whenListening(wakeup::wake).onNotify(payload -> wakeup.wake()).start();
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
        meters.close();
    }

    @Override
    public OutboxMetrics metrics() {
        return meters.snapshot(active, acknowledged.pendingCounts(dataSource));
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
                    meters.failed();
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
                OutboxTable.prepareRelaySession(connection);
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
        try (RelayProducer producer = new RelayProducer(config, config.clientId() + "-outbox")) {
            while (running) {
                Round round;
                try {
                    round = publishOneRound(connection, producer.get());
                    kafkaBackoff.reset();
                } catch (KafkaException e) {
                    meters.failed();
                    Duration wait = kafkaBackoff.next();
                    log.warn("Outbox relay cannot publish ({}); rows stay, retrying in {} ms", e.getMessage(), wait.toMillis());
                    producer.discard();
                    pause(wait);
                    continue;
                }
                if (round.parked() > 0) {
                    producer.discard();
                }
                acknowledged.vacuumWhenDue(connection);
                if (round.read() < config.batchSize()) {
                    awaitCommits();
                }
            }
            if (!acknowledged.notDeleted().isEmpty()) {
                acknowledged.deleteAndRead(connection, 0); // stopping: a standby taking over must not send them again
            }
        }
    }

    /**
     * Drained: waits until a commit of this process wakes the relay, another instance NOTIFYs (the
     * {@link NotifyListener} turns that into a wake-up), or the poll interval passes (the fallback for a wake-up lost
     * while the relay or the listener reconnected).
     */
    private void awaitCommits() {
        Duration wait = acknowledged.notDeleted().isEmpty() || config.pollInterval().compareTo(DELETE_ACKNOWLEDGED_WITHIN) < 0
                ? config.pollInterval() : DELETE_ACKNOWLEDGED_WITHIN;
        try {
            wakeup.await(wait.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * One round: delete what the round before had acknowledged and read the oldest pending rows, send them all, wait
     * for every acknowledgement ({@link RoundSender}); the acknowledged are deleted by the next round. A row Kafka
     * refuses for good is parked, and the round goes on without it.
     */
    private Round publishOneRound(Connection connection, Producer<String, byte[]> producer) throws SQLException {
        long started = System.nanoTime();
        List<PendingRow> rows = acknowledged.deleteAndRead(connection, config.batchSize());
        if (rows.isEmpty()) {
            return new Round(0, 0);
        }
        RoundSender.Sent sent = RoundSender.send(producer, rows, tracing);
        acknowledged.acknowledged(sent.acknowledged());
        sent.acknowledged().forEach(meters::published);
        meters.round(Duration.ofNanos(System.nanoTime() - started));
        for (RoundSender.Refused refused : sent.refused()) {
            park(connection, refused);
        }
        if (sent.failure().isPresent()) {
            throw sent.failure().get();
        }
        return new Round(rows.size(), sent.refused().size());
    }

    private void park(Connection connection, RoundSender.Refused refused) throws SQLException {
        OutboxTable.park(connection, refused.id(), refused.reason().toString());
        meters.parked();
        log.error("Outbox row {} parked: Kafka refused it for good ({}); the rows after it go on. "
                + "See `orderflow outbox parked list`", refused.id(), refused.reason().toString());
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
}
