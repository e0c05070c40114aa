package org.orderflow.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderflow.service.testing.ServiceFixture.WAIT;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.Notification;
import org.orderflow.devstack.ManualClock;
import org.orderflow.service.testing.ServiceFixture;

/** svc-notification as it runs, on the real servers, with a clock the test sets: each notification sent once. */
class NotificationServiceIT {
    private static final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:15:30Z"));
    private static ServiceFixture notifications;

    @BeforeAll
    static void start() {
        notifications = ServiceFixture.start("notification", Map.of(), clock, Main::start);
    }

    @AfterAll
    static void stop() {
        notifications.close();
    }

    @Test
    void aNotificationDeliveredTwiceIsSentOnceAndListedWithWhenItWasSent() {
        String orderId = UUID.randomUUID().toString();
        Notification shipped = new Notification(orderId, "customer-7", Notification.Kind.ORDER_SHIPPED, "On its way.",
                Instant.parse("2026-12-04T10:00:00Z"));
        notifications.publish(Topics.NOTIFICATION, orderId, Notification.TYPE, "notice-" + orderId, shipped);
        notifications.publish(Topics.NOTIFICATION, orderId, Notification.TYPE, "notice-" + orderId, shipped);
        String marker = tell(UUID.randomUUID().toString(), "customer-7", Notification.Kind.ORDER_RECEIVED);

        await().atMost(WAIT).until(() -> listed("order_id=" + marker).size() == 1);

        JsonNode sent = listed("order_id=" + orderId);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).path("notification_id").asText()).isEqualTo("notice-" + orderId);
        assertThat(sent.get(0).path("kind").asText()).isEqualTo("ORDER_SHIPPED");
        assertThat(sent.get(0).path("channel").asText()).isEqualTo("log");
        assertThat(Instant.parse(sent.get(0).path("created_at").asText())).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
        assertThat(Instant.parse(sent.get(0).path("delivered_at").asText())).isEqualTo(clock.instant());
    }

    @Test
    void aCustomersNotificationsAreListedOldestFirst() {
        String customer = "customer-" + UUID.randomUUID();
        String orderId = UUID.randomUUID().toString();
        tell(orderId, customer, Notification.Kind.ORDER_RECEIVED);
        tell(orderId, customer, Notification.Kind.ORDER_CONFIRMED);
        tell(orderId, customer, Notification.Kind.ORDER_SHIPPED);

        await().atMost(WAIT).until(() -> listed("customer_id=" + customer).size() == 3);

        assertThat(listed("customer_id=" + customer)).extracting(node -> node.path("kind").asText())
                .containsExactly("ORDER_RECEIVED", "ORDER_CONFIRMED", "ORDER_SHIPPED");
    }

    private static String tell(String orderId, String customerId, Notification.Kind kind) {
        notifications.publish(Topics.NOTIFICATION, orderId, Notification.TYPE,
                new Notification(orderId, customerId, kind, "About your order.", clock.instant()));
        return orderId;
    }

    private static JsonNode listed(String query) {
        return notifications.get("/notifications?" + query).path("notifications");
    }
}
