package org.orderflow.notification.notify;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.orderflow.contract.events.Notification;
import org.orderflow.messaging.consumer.EventRouter.Payload;
import org.orderflow.messaging.sql.SqlArrays;

/** The notifications table; its rows are mapped by the mapper {@link #registerMappers} registers once. */
final class NotificationRepository {
    private static final int LIMIT = 100;

    static void registerMappers(Jdbi jdbi) {
        jdbi.registerRowMapper(NotificationView.class, (rs, ctx) -> new NotificationView(rs.getString("notification_id"),
                rs.getString("order_id"), rs.getString("customer_id"), rs.getString("kind"), rs.getString("message"),
                rs.getString("channel"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("delivered_at", OffsetDateTime.class).toInstant()));
    }

    /** Stores the notifications not stored before (by event id) in one statement; returns their event ids. */
    Set<String> storeNew(Handle handle, List<Payload<Notification>> notifications, String channel, Instant now) {
        return new HashSet<>(handle.createQuery("""
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
                .bind("channel", channel).bind("now", now)
                .mapTo(String.class)
                .list());
    }

    /** Oldest first, for an order and/or a customer; the latest {@value #LIMIT}. */
    List<NotificationView> latest(Handle handle, Optional<String> orderId, Optional<String> customerId) {
        StringBuilder sql = new StringBuilder("""
                SELECT notification_id, order_id, customer_id, kind, message, channel, created_at, delivered_at
                FROM (SELECT * FROM notifications WHERE true""");
        orderId.ifPresent(id -> sql.append(" AND order_id = :orderId"));
        customerId.ifPresent(id -> sql.append(" AND customer_id = :customerId"));
        sql.append(" ORDER BY seq DESC LIMIT " + LIMIT + ") latest ORDER BY seq");
        Query query = handle.createQuery(sql.toString());
        orderId.ifPresent(id -> query.bind("orderId", id));
        customerId.ifPresent(id -> query.bind("customerId", id));
        return query.mapTo(NotificationView.class).list();
    }

    private static List<String> column(List<Payload<Notification>> notifications, Function<Payload<Notification>, String> value) {
        return notifications.stream().map(value).toList();
    }
}
