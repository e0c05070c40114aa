package org.orderflow.order.ops;

import java.time.Clock;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.dlq.DeadLetterQueue;
import org.orderflow.order.peers.Peers;
import org.orderflow.service.http.ApiRoutes;

/**
 * The operator's routes svc-order adds for the operations page: every instance's status and each service's parked rows
 * ({@link Overview}), the dead letters ({@link DeadLetterRoutes}) and the stuck orders ({@link StuckOrders}). Every
 * route is for operators only.
 */
public final class Operations {
    private final Overview overview;
    private final DeadLetterRoutes deadLetters;
    private final StuckOrders stuckOrders;

    /** {@code deadLetterQueues} opens a reader of the dead-letter topic, one per request. */
    public Operations(Jdbi jdbi, Peers peers, Supplier<DeadLetterQueue> deadLetterQueues, Clock clock) {
        this.overview = new Overview(peers, clock);
        this.deadLetters = new DeadLetterRoutes(deadLetterQueues);
        this.stuckOrders = new StuckOrders(jdbi);
    }

    public void register(ApiRoutes routes) {
        ApiRoutes operator = routes.operatorOnly();
        overview.register(operator);
        deadLetters.register(operator);
        stuckOrders.register(operator);
    }
}
