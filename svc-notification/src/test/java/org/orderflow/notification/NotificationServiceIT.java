package org.orderflow.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.Notification;
import org.orderflow.devstack.ManualClock;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestHttp;
import org.orderflow.devstack.TestKafka;
import org.orderflow.messaging.Json;
import org.orderflow.service.RunningService;

/** svc-notification as it runs, on the real servers, with a clock the test sets: each notification sent once. */
class NotificationServiceIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:15:30Z"));
    private static TestKafka kafka;
    private static RunningService service;

    @BeforeAll
    static void start() {
        RealServers servers = RealServers.shared();
        kafka = new TestKafka(servers.kafkaBootstrapServers());
        kafka.createTopics(Topics.ALL, 1); // one partition: what is read after a notification was applied after it
        service = Main.start(servers.serviceEnvironment("notification"), clock);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aNotificationDeliveredTwiceIsSentOnceAndListedWithWhenItWasSent() {
        String orderId = UUID.randomUUID().toString();
        String notification = json(new Notification(orderId, "customer-7", Notification.Kind.ORDER_SHIPPED, "On its way.",
                Instant.parse("2026-12-04T10:00:00Z")));
        Map<String, String> headers = Map.of("ce_id", "notice-" + orderId, "ce_type", Notification.TYPE);
        kafka.send(Topics.NOTIFICATION, orderId, notification, headers);
        kafka.send(Topics.NOTIFICATION, orderId, notification, headers);
        String marker = notify(UUID.randomUUID().toString(), "customer-7", Notification.Kind.ORDER_RECEIVED);

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
        notify(orderId, customer, Notification.Kind.ORDER_RECEIVED);
        notify(orderId, customer, Notification.Kind.ORDER_CONFIRMED);
        notify(orderId, customer, Notification.Kind.ORDER_SHIPPED);

        await().atMost(WAIT).until(() -> listed("customer_id=" + customer).size() == 3);

        assertThat(listed("customer_id=" + customer)).extracting(node -> node.path("kind").asText())
                .containsExactly("ORDER_RECEIVED", "ORDER_CONFIRMED", "ORDER_SHIPPED");
    }

    private static String notify(String orderId, String customerId, Notification.Kind kind) {
        kafka.sendEvent(Topics.NOTIFICATION, orderId, Notification.TYPE,
                json(new Notification(orderId, customerId, kind, "About your order.", clock.instant())));
        return orderId;
    }

    private static JsonNode listed(String query) {
        try {
            return Json.mapper().readTree(TestHttp.get(service.port(), "/notifications?" + query).body()).path("notifications");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object event) {
        try {
            return Json.mapper().writeValueAsString(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
