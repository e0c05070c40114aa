package org.orderflow.notification.notify;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.orderflow.contract.events.Notification;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.messaging.consumer.EventRouter.Payload;

/** Stores each notification once, under its event's id, and delivers those it had not stored before. */
final class NotificationService {
    private final NotificationRepository repository;
    private final NotificationChannel channel;
    private final Clock clock;

    NotificationService(NotificationRepository repository, NotificationChannel channel, Clock clock) {
        this.repository = repository;
        this.channel = channel;
        this.clock = clock;
    }

    /** A poll's notifications: stored in one statement, then those new delivered, in the transaction that stored them. */
    void notifyAll(List<Payload<Notification>> notifications, EventContext context) throws Exception {
        Set<String> stored = repository.storeNew(context.handle(), notifications, channel.name(), clock.instant());
        for (Payload<Notification> notification : notifications) {
            if (stored.remove(notification.event().id())) {
                channel.deliver(notification.event().id(), notification.value());
            }
        }
    }
}
