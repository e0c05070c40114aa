package org.orderflow.messaging.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.LogIds;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.messaging.consumer.EventRouter.Deduplication;
import org.orderflow.messaging.consumer.EventRouter.Handling;
import org.orderflow.messaging.consumer.EventRouter.Route;
import org.orderflow.messaging.consumer.PoisonEventException;

/**
 * What one applying transaction does with a list of records: claims their ids in the inbox, runs each route's
 * handler (runs of a batched type in one call), and appends what they published and the dead letters of poison
 * records to the outbox. The caller owns the transaction.
 */
final class BatchApplier {
    private final EventRouter router;
    private final CloudEventPublisher publisher;
    private final DeadLetters deadLetters;
    private final EventTracing tracing;
    private final Inbox inbox = new Inbox();

    BatchApplier(EventRouter router, CloudEventPublisher publisher, DeadLetters deadLetters, EventTracing tracing) {
        this.router = router;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.tracing = tracing;
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
        Run run = new Run(tracing);
        for (Item item : items) {
            if (passesOver(item)) {
                applied.passedOver.add(item);
            } else if (!deduplicatedByHandler(item) && !fresh.remove(item.inboxId())) {
                applied.duplicates.add(item);
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
                    run.add(route, item);
                } else {
                    handleOne(route, item, context);
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

    /** One event in its apply span, current while the handler runs; its ids are in the MDC for the handler's log lines. */
    private void handleOne(Route route, Item item, HandlerContext context) throws Exception {
        IncomingEvent event = item.event();
        Span span = tracing.startApply(event, item.record().topic());
        Optional<Throwable> failure = Optional.empty();
        try (Scope ignored = span.makeCurrent()) {
            context.causedBy(event, Context.current());
            try (LogIds ids = context.logIds(event)) {
                route.handler().handle(List.of(event), context);
            }
        } catch (Exception | Error e) {
            failure = Optional.of(e);
            throw e;
        } finally {
            EventTracing.end(span, failure);
        }
    }

    /** Consecutive events of one batched type, handled in one call, each in an apply span of its own. */
    private static final class Run {
        private final EventTracing tracing;
        private final List<Item> items = new ArrayList<>();
        private Route route;

        Run(EventTracing tracing) {
            this.tracing = tracing;
        }

        boolean continuedBy(Route next) {
            return items.isEmpty() || next == route;
        }

        void add(Route of, Item item) {
            route = of;
            items.add(item);
        }

        void handle(HandlerContext context) throws Exception {
            if (items.isEmpty()) {
                return;
            }
            Map<IncomingEvent, Context> traces = new IdentityHashMap<>();
            List<Span> spans = new ArrayList<>(items.size());
            for (Item item : items) {
                Span span = tracing.startApply(item.event(), item.record().topic());
                spans.add(span);
                traces.put(item.event(), Context.root().with(span));
            }
            Optional<Throwable> failure = Optional.empty();
            try {
                context.causedByEach(traces);
                route.handler().handle(items.stream().map(Item::event).toList(), context);
            } catch (Exception | Error e) {
                failure = Optional.of(e);
                throw e;
            } finally {
                for (Span span : spans) {
                    EventTracing.end(span, failure);
                }
                items.clear();
            }
        }
    }
}
