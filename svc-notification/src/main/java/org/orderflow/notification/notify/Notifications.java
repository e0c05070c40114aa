package org.orderflow.notification.notify;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.Notification;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.service.ServiceFeature;
import org.orderflow.service.http.ApiRoutes;

/**
 * The notification feature's routes: each Notification event goes to the {@link NotificationService}, which stores it
 * once and delivers it through the channel; GET /notifications lists what was sent.
 */
public final class Notifications implements ServiceFeature {
    /** What svc-notification consumes. */
    public static final List<String> TOPICS = List.of(Topics.NOTIFICATION);

    private final Jdbi jdbi;
    private final NotificationRepository repository = new NotificationRepository();
    private final NotificationService service;

    /** {@code metrics}: where the count of notifications sent goes. */
    public Notifications(Jdbi jdbi, NotificationChannel channel, Clock clock, MeterRegistry metrics) {
        this.jdbi = jdbi;
        NotificationRepository.registerMappers(jdbi);
        this.service = new NotificationService(repository, channel, clock, metrics);
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
                .onAll(Notification.TYPE, Notification.class, service::notifyAll)
                // Stored under the event id, ON CONFLICT DO NOTHING: the notifications table is their inbox.
                .deduplicatedById(Notification.TYPE)
                .build();
    }

    /**
     * Oldest first, for an order and/or a customer; the latest 100 when neither is given. A customer sees its own only
     * ({@link ApiRoutes#listedCustomer}): another's order shows no notifications, as if it had none.
     */
    private void list(Context ctx) {
        Optional<String> orderId = Optional.ofNullable(ctx.queryParam("order_id")).filter(id -> !id.isBlank());
        Optional<String> customerId = ApiRoutes.listedCustomer(ctx);
        ctx.json(Map.of("notifications", jdbi.withHandle(handle -> repository.latest(handle, orderId, customerId))));
    }
}
