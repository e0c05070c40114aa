package org.orderflow.order.orders;

import java.util.Arrays;
import java.util.List;

/**
 * Where an order is. Events of different topics can arrive out of order, so the status only moves forward: to a
 * later stage, never back, and never out of a final state.
 */
enum OrderStatus {
    RECEIVED(0, false),
    CONFIRMED(1, false),
    REJECTED(1, true),
    PICKED_AND_PACKED(2, false),
    SHIPPED(3, true),
    CANCELLED(3, true);

    private final int stage;
    private final boolean terminal;

    OrderStatus(int stage, boolean terminal) {
        this.stage = stage;
        this.terminal = terminal;
    }

    boolean canMoveTo(OrderStatus next) {
        return !terminal && next.stage > stage;
    }

    /** The statuses an order may move to {@code next} from. */
    static List<String> before(OrderStatus next) {
        return Arrays.stream(values()).filter(status -> status.canMoveTo(next)).map(Enum::name).toList();
    }

    boolean isTerminal() {
        return terminal;
    }
}
