package org.orderflow.order.orders;

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

    boolean isTerminal() {
        return terminal;
    }
}
