package org.orderflow.messaging.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.messaging.consumer.EventRouter.Deduplication;
import org.orderflow.messaging.consumer.EventRouter.Handling;
import org.orderflow.messaging.consumer.EventRouter.Route;
import org.orderflow.messaging.consumer.PoisonEventException;
import org.slf4j.MDC;

/**
 * What one applying transaction does with a list of records: claims their ids in the inbox, runs each route's
 * handler (runs of a batched type in one call), and appends what they published and the dead letters of poison
 * records to the outbox. The caller owns the transaction.
 */
final class BatchApplier {
    private final EventRouter router;
    private final CloudEventPublisher publisher;
    private final DeadLetters deadLetters;
    private final Inbox inbox = new Inbox();

    BatchApplier(EventRouter router, CloudEventPublisher publisher, DeadLetters deadLetters) {
        this.router = router;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
    }

    /** True for an event the service does nothing with: it needs neither a transaction nor an inbox row. */
    boolean passesOver(Item item) {
        return !item.isPoison() && routeOf(item.event()).map(route -> route.passedOver().test(item.event())).orElse(false);
    }

    /** Applies the items in the caller's transaction; throws when any of them fails (the caller rolls back). */
    Applied apply(Handle handle, List<Item> items) throws Exception {
        Set<String> fresh = inbox.claim(handle, items.stream().filter(item -> !passesOver(item) && !deduplicatedByHandler(item)).toList());
        HandlerContext context = new HandlerContext(handle, publisher);
        Applied applied = new Applied();
        Run run = new Run();
        for (Item item : items) {
            if (passesOver(item)) {
                applied.passedOver++;
            } else if (!deduplicatedByHandler(item) && !fresh.remove(item.inboxId())) {
                applied.duplicates++;
            } else if (item.isPoison()) {
                context.appendVerbatim(deadLetters.of(item.record(), item.poison(), 1));
                applied.deadLettered.add(item);
            } else {
                Route route = routeOf(item.event()).orElseThrow(() -> new PoisonEventException(
                        "No handler for event type " + item.event().type()));
                if (!run.continuedBy(route)) {
                    run.handle(context);
                }
                if (route.handling() == Handling.IN_BATCHES) {
                    run.add(route, item.event());
                } else {
                    handleOne(route, item.event(), context);
                }
                applied.applied.add(item);
            }
        }
        run.handle(context);
        context.flush();
        return applied;
    }

    private boolean deduplicatedByHandler(Item item) {
        return !item.isPoison() && routeOf(item.event()).map(route -> route.deduplication() == Deduplication.BY_ID).orElse(false);
    }

    private Optional<Route> routeOf(IncomingEvent event) {
        return router.route(event.type());
    }

    private static void handleOne(Route route, IncomingEvent event, HandlerContext context) throws Exception {
        MDC.put("order_id", String.valueOf(event.orderId()));
        MDC.put("event_id", event.id());
        try {
            context.causedBy(event);
            route.handler().handle(List.of(event), context);
        } finally {
            MDC.remove("order_id");
            MDC.remove("event_id");
        }
    }

    /** Consecutive events of one batched type, handled in one call. */
    private static final class Run {
        private final List<IncomingEvent> events = new ArrayList<>();
        private Route route;

        boolean continuedBy(Route next) {
            return events.isEmpty() || next == route;
        }

        void add(Route of, IncomingEvent event) {
            route = of;
            events.add(event);
        }

        void handle(HandlerContext context) throws Exception {
            if (events.isEmpty()) {
                return;
            }
            context.causedByNone();
            route.handler().handle(List.copyOf(events), context);
            events.clear();
        }
    }
}
