package org.orderflow.bench.chaos;

import java.time.Duration;

/**
 * One fault injected, and how the stack came back from it.
 *
 * @param kind      what was done
 * @param target    the process it was done to (svc-order-1, kafka-2, postgres)
 * @param at        when, from the start of the run
 * @param outage    how long the process was gone or paused before it was restarted or resumed
 * @param recovery  from the fault to every service answering /ready again
 * @param problem   why it could not be done or undone; empty when it went as planned
 */
record Fault(Kind kind, String target, Duration at, Duration outage, Duration recovery, String problem) {
    enum Kind {
        /** kill -9 of one service instance. */
        KILL_INSTANCE,
        /** kill -9 of the instance that holds a service's outbox relay lock. */
        KILL_RELAY_LEADER,
        /** kill -9 of one Kafka broker. */
        KILL_BROKER,
        /** kill -9 of PostgreSQL's postmaster. */
        KILL_POSTGRES,
        /** SIGSTOP, then SIGCONT, of a service instance: a long garbage-collection pause. */
        PAUSE_INSTANCE,
        /**
         * SIGTERM to a service instance, as a deployment does: it leaves its consumer groups, its partitions move to the
         * other instances under load, and back when it returns (two rebalances each way, where a kill causes none).
         */
        STOP_INSTANCE
    }

    boolean succeeded() {
        return problem.isEmpty();
    }
}
