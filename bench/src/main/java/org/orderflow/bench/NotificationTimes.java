package org.orderflow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The NOTIFIED stage: when svc-notification stored each order's ORDER_SHIPPED notification (its {@code delivered_at},
 * taken in the transaction that stores it), read from the service's database and put on this process's nanoTime
 * clock. Same machine, so the same wall clock.
 */
final class NotificationTimes {
    private final String url;
    private final String user;
    private final String password;
    private final Instant wallAnchor = Instant.now();
    private final long nanoAnchor = System.nanoTime();

    NotificationTimes(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Records the NOTIFIED time of every order whose shipped notification was stored since {@code since}. */
    void collect(StageTracker tracker, Instant since) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT order_id, delivered_at FROM notifications WHERE kind = 'ORDER_SHIPPED' AND delivered_at >= ?")) {
            query.setObject(1, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Instant storedAt = rows.getTimestamp(2).toInstant();
                    tracker.record(rows.getString(1), StageTracker.Stage.NOTIFIED, nanoAnchor + Duration.between(wallAnchor, storedAt).toNanos());
                }
            }
        }
    }
}
