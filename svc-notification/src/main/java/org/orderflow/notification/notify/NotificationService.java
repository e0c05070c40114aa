package org.orderflow.notification.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orderflow.contract.events.Notification;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.messaging.consumer.EventRouter.Payload;

/**
 * Stores each notification once, under its event's id, and delivers those it had not stored before; counts them by
 * kind ({@code orderflow_notifications_sent_total{kind}}) once their transaction commits.
 */
final class NotificationService {
    private final NotificationRepository repository;
    private final NotificationChannel channel;
    private final Clock clock;
    private final Map<Notification.Kind, Counter> sent = new EnumMap<>(Notification.Kind.class);

    NotificationService(NotificationRepository repository, NotificationChannel channel, Clock clock, MeterRegistry metrics) {
        this.repository = repository;
        this.channel = channel;
        this.clock = clock;
        for (Notification.Kind kind : Notification.Kind.values()) {
            sent.put(kind, Counter.builder("orderflow.notifications.sent").description("Notifications delivered, by kind")
                    .tag("kind", kind.name()).register(metrics));
        }
    }

    /** A poll's notifications: stored in one statement, then those new delivered, in the transaction that stored them. */
    void notifyAll(List<Payload<Notification>> notifications, EventContext context) throws Exception {
        Set<String> stored = repository.storeNew(context.handle(), notifications, channel.name(), clock.instant());
        for (Payload<Notification> notification : notifications) {
            if (stored.remove(notification.event().id())) {
                try (var ids = context.logIds(notification.event())) {
                    channel.deliver(notification.event().id(), notification.value());
                }
                Counter kind = sent.get(notification.value().kind());
                if (kind != null) {
                    context.handle().afterCommit(kind::increment);
                }
            }
        }
    }
}
