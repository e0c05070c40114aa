package org.orderflow.notification.notify;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.orderflow.contract.Topics;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.contract.events.Notification;
import org.orderflow.messaging.sql.SqlArrays;
import org.orderflow.service.ServiceFeature;
import org.orderflow.service.http.ApiRoutes;

/** The notification feature: each Notification event is stored once and delivered through the channel. */
public final class Notifications implements ServiceFeature {
    /** What svc-notification consumes. */
    public static final List<String> TOPICS = List.of(Topics.NOTIFICATION);
    private static final int LIMIT = 100;

    private final Jdbi jdbi;
    private final NotificationChannel channel;
    private final Clock clock;

    public Notifications(Jdbi jdbi, NotificationChannel channel, Clock clock) {
        this.jdbi = jdbi;
        this.channel = channel;
        this.clock = clock;
    }

    @Override
    public List<String> topics() {
        return TOPICS;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.get("/notifications", this::list);
    }

    @Override
    public EventRouter events() {
        return EventRouter.builder()
                .onAll(Notification.TYPE, Notification.class, this::notifyAll)
                // Stored under the event id, ON CONFLICT DO NOTHING: the notifications table is their inbox.
                .deduplicatedById(Notification.TYPE)
                .build();
    }

    /** Stores a poll's notifications in one statement, then delivers those not stored before. */
    private void notifyAll(List<EventRouter.Payload<Notification>> notifications, EventContext context) throws Exception {
        Instant now = clock.instant();
        Set<String> stored = new HashSet<>(context.handle().createQuery("""
                        INSERT INTO notifications (notification_id, order_id, customer_id, kind, message, channel, created_at, delivered_at)
                        SELECT id, order_id, customer_id, kind, message, :channel, created_at, :now
                        FROM unnest(CAST(:ids AS text[]), CAST(:orderIds AS text[]), CAST(:customerIds AS text[]), CAST(:kinds AS text[]),
                                    CAST(:messages AS text[]), CAST(:createdAts AS timestamptz[]))
                             AS n (id, order_id, customer_id, kind, message, created_at)
                        ON CONFLICT (notification_id) DO NOTHING
                        RETURNING notification_id""")
                .bind("ids", SqlArrays.text(column(notifications, n -> n.event().id())))
                .bind("orderIds", SqlArrays.text(column(notifications, n -> n.value().orderId())))
                .bind("customerIds", SqlArrays.text(column(notifications, n -> n.value().customerId())))
                .bind("kinds", SqlArrays.text(column(notifications, n -> n.value().kind().name())))
                .bind("messages", SqlArrays.text(column(notifications, n -> n.value().message())))
                .bind("createdAts", SqlArrays.text(column(notifications,
                        n -> (n.value().timestamp() != null ? n.value().timestamp() : n.event().time()).toString())))
                .bind("channel", channel.name()).bind("now", now)
                .mapTo(String.class)
                .list());
        for (EventRouter.Payload<Notification> notification : notifications) {
            if (stored.remove(notification.event().id())) {
                channel.deliver(notification.event().id(), notification.value());
            }
        }
    }

    private static List<String> column(List<EventRouter.Payload<Notification>> notifications,
                                       Function<EventRouter.Payload<Notification>, String> value) {
        return notifications.stream().map(value).toList();
    }

    /** Oldest first, for an order and/or a customer; the latest 100 when neither is given. */
    private void list(Context ctx) {
        String orderId = ctx.queryParam("order_id");
        String customerId = ctx.queryParam("customer_id");
        StringBuilder sql = new StringBuilder("""
                SELECT notification_id, order_id, customer_id, kind, message, channel, created_at, delivered_at
                FROM (SELECT * FROM notifications WHERE true""");
        if (orderId != null && !orderId.isBlank()) {
            sql.append(" AND order_id = :orderId");
        }
        if (customerId != null && !customerId.isBlank()) {
            sql.append(" AND customer_id = :customerId");
        }
        sql.append(" ORDER BY seq DESC LIMIT " + LIMIT + ") latest ORDER BY seq");
        List<NotificationView> notifications = jdbi.withHandle(handle -> {
            Query query = handle.createQuery(sql.toString());
            if (orderId != null && !orderId.isBlank()) {
                query.bind("orderId", orderId);
            }
            if (customerId != null && !customerId.isBlank()) {
                query.bind("customerId", customerId);
            }
            return query.map((rs, c) -> new NotificationView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant())).list();
        });
        ctx.json(Map.of("notifications", notifications));
    }
}
