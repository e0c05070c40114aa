package org.orderflow.service;

import java.time.Instant;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.Notification;
import org.orderflow.messaging.OutgoingEvent;

/** What a service tells an order's customer: a {@link Notification} on its topic, keyed by the order. */
public final class CustomerNotice {
    private CustomerNotice() {
    }

    /** The notification of {@code kind} about the order, as the event that publishes it. */
    public static OutgoingEvent of(String orderId, String customerId, Notification.Kind kind, String message, Instant at) {
        return OutgoingEvent.of(Topics.NOTIFICATION, orderId, new Notification(orderId, customerId, kind, message, at));
    }
}
