package org.orderflow.outbox;

import java.util.Optional;

/**
 * Publishes the outbox table to Kafka. Made by the {@link Outbox} whose rows it publishes ({@link Outbox#relay}).
 *
 * <p><b>One active relay per database.</b> Every instance of a service runs a relay; the one that holds a PostgreSQL
 * session advisory lock publishes, the others wait and retry the lock every poll interval. When the holder's
 * process dies its session ends, the lock is released, and a standby takes over within a poll interval.
 *
 * <p><b>Latency.</b> A transaction that appends to the {@link Outbox} wakes the relay as it commits: in-process when
 * this process's relay is the active one, else by NOTIFY on channel {@code outbox}, which every relay LISTENs on
 * with a connection and a thread of its own. So a row is read within milliseconds. A fallback poll every
 * {@link RelayConfig#pollInterval()} covers a lost wake-up (rows written by other means, a relay that reconnected).
 *
 * <p><b>Order and safety.</b> Each round reads the oldest pending rows by id, however late their transactions
 * committed (it keeps no "last id seen" that a slow transaction could fall behind), sends them asynchronously with
 * an idempotent producer (acks=all) and waits for every acknowledgement. Exactly the acknowledged rows are deleted,
 * by the statement that reads the next round's rows (one round trip a round), or 100 ms later when no round comes,
 * and before the relay stops. Rows of one key go to one partition in id order. Delivery is at least once: a crash
 * after Kafka acknowledged and before the delete re-sends those rows, which consumers drop by event id (the inbox).
 *
 * <p><b>Failures.</b> Kafka or the database unavailable: the rows stay, the relay backs off exponentially (up to
 * {@link RelayConfig#maxBackoff()}) and drains them in order when both are back. Whatever else a round throws (a
 * producer that cannot be built, a bug) is logged and retried the same way: only {@link #close()} ends the relay.
 *
 * <p><b>A row Kafka refuses for good</b> (record too large, invalid or unauthorised topic) is <em>parked</em>: moved
 * to {@code outbox_parked} with the error, counted ({@link OutboxMetrics#parkedRows()}), and the rows after it are
 * published. What the parked row announced does not happen until an operator retries it (it goes back to the
 * outbox's tail) or drops it ({@code orderflow outbox parked}): its order stays visibly where it was, never half-done
 * in silence. The rows of the same key published after it may overtake it.
 *
 * <p><b>A leader cut off.</b> The relay's session detects a vanished peer within seconds on both sides (network
 * timeout, TCP keepalives, {@code tcp_user_timeout}); a lock holder whose session has sent nothing for
 * {@link RelayConfig#leaderSilence()} (a half-open connection) has its session ended by a standby, which takes over.
 *
 * <p>Thread-safe. {@link #start()} once; {@link #close()} stops the relay thread and releases the lock.
 */
public interface OutboxRelay extends AutoCloseable {
    /**
     * Pool connections a started relay keeps for as long as it runs: one for its rounds (it holds the lock on it) and
     * one its NOTIFY listener blocks on. Size the pool for them on top of everything else.
     */
    int CONNECTIONS_HELD = 2;

    /** Starts the relay thread; returns at once. */
    OutboxRelay start();

    /** Counts taken from the table now and from this relay's counters. */
    OutboxMetrics metrics();

    /**
     * Why the outbox does not move, for readiness: the relay thread is gone, or the oldest pending row is older than
     * {@link RelayConfig#stallAfter()}; empty when it moves. Parked rows are not a problem here: the rest flows.
     */
    Optional<String> problem();

    /** Stops publishing, finishing the round in hand, and releases the relay lock. */
    @Override
    void close();
}
