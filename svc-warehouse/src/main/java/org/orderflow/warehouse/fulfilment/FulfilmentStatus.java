package org.orderflow.warehouse.fulfilment;

/** Where an order's fulfilment is; stored by name in {@code fulfilments.status}. */
enum FulfilmentStatus {
    /** Being picked until its packing time has passed. */
    PICKING,
    /** Packed and handed to shipping (OrderPickedAndPacked published). */
    PACKED,
    /** The pick failed (a damaged product, a random failure): the order was cancelled. */
    FAILED,
    /** Cancelled before or while it was picked, or after it was packed. */
    CANCELLED
}
