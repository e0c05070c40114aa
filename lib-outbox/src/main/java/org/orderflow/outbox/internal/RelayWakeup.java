package org.orderflow.outbox.internal;

import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;

/**
 * How a commit that appended to the outbox wakes the relay. When this process's relay is the active one, the
 * appending transaction wakes it in-process once it has committed. Otherwise (this instance is a standby, or runs
 * no relay) the transaction NOTIFYs channel {@code outbox}, which the active relay of another instance LISTENs on.
 *
 * <p>Why not always NOTIFY: PostgreSQL holds a database-wide lock from a NOTIFYing transaction's pre-commit until its
 * WAL flush is done, so transactions that NOTIFY commit one after another; under load they queue on that lock,
 * holding their pool connections.
 */
final class RelayWakeup {
    private final Object monitor = new Object();
    private boolean pending;
    private volatile boolean localRelayActive;

    /** Called by the outbox after appending in {@code handle}'s transaction. */
    void onCommitOf(Handle handle) {
        if (!localRelayActive) {
            handle.execute("NOTIFY outbox"); // delivered at commit; PostgreSQL folds a transaction's duplicates
        } else if (handle.isInTransaction()) {
            handle.afterCommit(this::wake);
        } else {
            wake(); // auto-commit: the row is committed already
        }
    }

    void localRelayActive(boolean active) {
        localRelayActive = active;
    }

    void wake() {
        synchronized (monitor) {
            pending = true;
            monitor.notifyAll();
        }
    }

    /**
     * Waits up to {@code nanos} for a wake-up and consumes it. A wake-up that arrives while the relay is publishing
     * is kept, so the next wait returns at once and no commit is left unread.
     */
    boolean await(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (monitor) {
            long remaining = nanos;
            while (!pending && remaining > 0) {
                TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                remaining = deadline - System.nanoTime();
            }
            boolean woken = pending;
            pending = false;
            return woken;
        }
    }
}
