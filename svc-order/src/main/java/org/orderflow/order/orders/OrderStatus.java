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

    private static final Map<OrderStatus, List<String>> NOT_BEFORE = new EnumMap<>(OrderStatus.class);
    private static final Map<OrderStatus, List<String>> NOT_PASSING = new EnumMap<>(OrderStatus.class);

    static { // after the constants exist
        for (OrderStatus step : values()) {
            NOT_BEFORE.put(step, Arrays.stream(values()).filter(status -> !status.canMoveTo(step)).map(Enum::name).toList());
            NOT_PASSING.put(step, Arrays.stream(values()).filter(status -> !step.passedBy(status)).map(Enum::name).toList());
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

    /**
     * The statuses an order may not move to {@code next} from. Complements rather than the statuses themselves, so
     * that SQL tests them with {@code <> ALL} (see OrderRepository.moveForward).
     * Computed once: it is asked for every status event.
     */
    static List<String> notBefore(OrderStatus next) {
        return NOT_BEFORE.get(next);
    }

    /** The statuses that have not passed {@code step}: the complement of those {@link #passedBy} holds for. */
    static List<String> notPassing(OrderStatus step) {
        return NOT_PASSING.get(step);
    }

    /**
     * True when this is a step of the way to shipping that {@code current}, further along that way, has passed: its
     * event came after a later one (they travel on different topics), and the step belongs in the history.
     */
    boolean passedBy(OrderStatus current) {
        return !terminal && current.stage > stage && (current == PICKED_AND_PACKED || current == SHIPPED);
    }

    /**
     * SQL for the pipeline stage of the status in {@code column}: histories are read in pipeline order, whatever order
     * their events arrived in and whatever clocks stamped them.
     */
    static String stageOf(String column) {
        StringBuilder sql = new StringBuilder("CASE ").append(column);
        for (OrderStatus status : values()) {
            sql.append(" WHEN '").append(status.name()).append("' THEN ").append(status.stage);
        }
        return sql.append(" END").toString();
    }

    boolean isTerminal() {
        return terminal;
    }
}
