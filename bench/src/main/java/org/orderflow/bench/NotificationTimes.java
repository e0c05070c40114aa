package org.orderflow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The NOTIFIED stage: when svc-notification stored each order's ORDER_SHIPPED notification (its {@code delivered_at},
 * taken in the transaction that stores it), read from the service's database and put on this process's nanoTime
 * clock ({@link NanoClock}).
 */
final class NotificationTimes {
    private final String url;
    private final String user;
    private final String password;
    private final NanoClock clock;

    NotificationTimes(String url, String user, String password, NanoClock clock) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.clock = clock;
    }

    /** Records the NOTIFIED time of every order whose shipped notification was stored since {@code since}. */
    void collect(StageTracker tracker, Instant since) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT order_id, delivered_at FROM notifications WHERE kind = 'ORDER_SHIPPED' AND delivered_at >= ?")) {
            query.setObject(1, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tracker.record(rows.getString(1), StageTracker.Stage.NOTIFIED, clock.nanoTimeAt(rows.getTimestamp(2).toInstant()));
                }
            }
        }
    }
}
