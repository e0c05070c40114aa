package org.orderflow.order.orders;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

    private static final Map<OrderStatus, List<String>> BEFORE = new EnumMap<>(OrderStatus.class);

    static { // after the constants exist
        for (OrderStatus next : values()) {
            BEFORE.put(next, Arrays.stream(values()).filter(status -> status.canMoveTo(next)).map(Enum::name).toList());
        }
    }

    private final int stage;
    private final boolean terminal;

    OrderStatus(int stage, boolean terminal) {
        this.stage = stage;
        this.terminal = terminal;
    }

    boolean canMoveTo(OrderStatus next) {
        return !terminal && next.stage > stage;
    }

    /** The statuses an order may move to {@code next} from (computed once: it is asked for every status event). */
    static List<String> before(OrderStatus next) {
        return BEFORE.get(next);
    }

    /**
     * True when this is a step of the way to shipping that {@code current}, further along that way, has passed: its
     * event came after a later one (they travel on different topics), and the step belongs in the history.
     */
    boolean passedBy(OrderStatus current) {
        return !terminal && current.stage > stage && (current == PICKED_AND_PACKED || current == SHIPPED);
    }

    boolean isTerminal() {
        return terminal;
    }
}
