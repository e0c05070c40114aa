package org.orderflow.notification.notify;

import org.orderflow.contract.events.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default channel: the notification is written to the service's log. */
public final class LogChannel implements NotificationChannel {
    private static final Logger log = LoggerFactory.getLogger(LogChannel.class);

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void deliver(String notificationId, Notification notification) {
        log.info("To customer {} about order {} [{}]: {}", notification.customerId(), notification.orderId(), notification.kind(),
                notification.message());
    }
}
