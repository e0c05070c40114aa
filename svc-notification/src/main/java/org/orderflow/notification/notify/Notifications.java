package org.orderflow.notification.notify;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.Topics;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.messaging.events.Notification;
import org.orderflow.service.http.ApiRoutes;

/** The notification feature: each Notification event is stored once and delivered through the channel. */
public final class Notifications {
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

    public void routes(ApiRoutes routes) {
        routes.get("/notifications", this::list);
    }

    public EventRouter events() {
        return EventRouter.builder().on(Notification.TYPE, Notification.class, this::notify).build();
    }

    private void notify(Notification notification, IncomingEvent event, EventContext context) throws Exception {
        Instant now = clock.instant();
        boolean isNew = context.handle().createUpdate("""
                        INSERT INTO notifications (notification_id, order_id, customer_id, kind, message, channel, created_at, delivered_at)
                        VALUES (:id, :orderId, :customerId, :kind, :message, :channel, :createdAt, :now)
                        ON CONFLICT (notification_id) DO NOTHING""")
                .bind("id", event.id()).bind("orderId", notification.orderId()).bind("customerId", notification.customerId())
                .bind("kind", notification.kind().name()).bind("message", notification.message()).bind("channel", channel.name())
                .bind("createdAt", notification.timestamp() != null ? notification.timestamp() : event.time()).bind("now", now)
                .execute() == 1;
        if (isNew) {
            channel.deliver(event.id(), notification);
        }
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
