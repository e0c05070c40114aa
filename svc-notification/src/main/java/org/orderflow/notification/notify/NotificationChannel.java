package org.orderflow.notification.notify;

import org.orderflow.contract.events.Notification;

/**
 * How a notification reaches the customer. Delivery runs inside the transaction that stores the notification: a
 * channel that throws makes the event retried (at-least-once delivery), so a real channel (email, SMS) should pass
 * an idempotency key such as the notification id to its provider.
 */
public interface NotificationChannel {
    String name();

    void deliver(String notificationId, Notification notification) throws Exception;
}
