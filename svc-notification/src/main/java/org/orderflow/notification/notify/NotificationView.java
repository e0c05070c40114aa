package org.orderflow.notification.notify;

import java.time.Instant;

/** A sent notification as GET /notifications lists it. */
record NotificationView(String notificationId, String orderId, String customerId, String kind, String message, String channel,
                        Instant createdAt, Instant deliveredAt) {
}
