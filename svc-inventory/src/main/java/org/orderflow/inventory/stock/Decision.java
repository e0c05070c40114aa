package org.orderflow.inventory.stock;

/** What became of an order in the inventory; stored by name in {@code order_decisions.decision}. */
enum Decision {
    /** Seen, not decided yet. */
    RECEIVED,
    /** Its stock is reserved. */
    CONFIRMED,
    /** Some of its stock was missing: nothing reserved. */
    REJECTED,
    /** Cancelled: its reservations released, or never made. */
    CANCELLED,
    /** Shipped: its reservations taken off the shelves. */
    SHIPPED
}
