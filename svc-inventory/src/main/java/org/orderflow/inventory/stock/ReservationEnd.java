package org.orderflow.inventory.stock;

/** How a reservation ends; stored by name in {@code reservations.state}, which is {@code RESERVED} until then. */
enum ReservationEnd {
    /** The units go back on sale (the order was cancelled). */
    RELEASED,
    /** The units left with the order: on hand goes down too. */
    SHIPPED
}
