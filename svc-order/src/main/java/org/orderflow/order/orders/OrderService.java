package org.orderflow.order.orders;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import io.opentelemetry.context.Context;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.LogIds;
import org.orderflow.messaging.TimeOrderedUuid;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.contract.Topics;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.Notification;
import org.orderflow.contract.events.OrderCancellationRequested;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderReceived;
import org.orderflow.contract.events.OrderRejected;
import org.orderflow.service.CustomerNotice;
import org.orderflow.service.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Placing orders, and following them through the pipeline's events. Methods run in the caller's transaction. */
final class OrderService {
    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository orders;
    private final OrderViews views;
    private final EventPublisher publisher;
    private final Clock clock;
    private final OrderCounters counters;

    OrderService(OrderRepository orders, OrderViews views, EventPublisher publisher, Clock clock, OrderCounters counters) {
        this.orders = orders;
        this.views = views;
        this.publisher = publisher;
        this.clock = clock;
        this.counters = counters;
    }

    /** Stores a validated order under a new id and publishes OrderReceived and the customer's notification with it. */
    OrderView place(Handle handle, PlaceOrderRequest request) {
        return placeAll(handle, List.of(new NewPlacement(TimeOrderedUuid.next().toString(), request, Context.current()))).get(0);
    }

    /**
     * {@link #place} for many orders at once, in a few statements (group commit); the answers in request order. Each
     * order comes with the id its request was given once, before the first attempt: an order that is stored already
     * (an attempt whose COMMIT succeeded though its answer was lost) is answered as stored, not stored again. Each
     * order's events are published in its own request's trace.
     */
    List<OrderView> placeAll(Handle handle, List<NewPlacement> placements) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // what the database keeps, so GET shows the same
        List<OrderReceived> received = placements.stream().map(placement -> received(placement, now)).toList();
        List<NewOrder> placed = received.stream().map(order -> new NewOrder(order.orderId(),
                order.customerId(), OrderStatus.RECEIVED, order.total(), order.currency(), "HTTP", viewItems(order.items()), now,
                "customer")).toList();
        Set<String> inserted = orders.insertAll(handle, placed).stream().map(NewOrder::orderId).collect(Collectors.toSet());
        List<EventPublisher.Traced> fresh = new ArrayList<>();
        for (int i = 0; i < received.size(); i++) {
            OrderReceived order = received.get(i);
            if (inserted.contains(order.orderId())) {
                Context trace = placements.get(i).trace();
                fresh.add(new EventPublisher.Traced(trace, List.of(
                        OutgoingEvent.of(Topics.ORDER_RECEIVED, order.orderId(), order), receivedNotification(order, now))));
                try (LogIds ids = LogIds.ofTrace(trace)) { // its request's trace, whichever request's thread writes it
                    log.info("Order {} placed by {}: {} item(s), {} {}", order.orderId(), order.customerId(), order.items().size(),
                            order.total(), order.currency());
                }
            }
        }
        publisher.publishTraced(handle, fresh);
        counters.reached(handle, OrderStatus.RECEIVED, fresh.size());
        return placed.stream().map(order -> inserted.contains(order.orderId()) ? order.view() : storedBefore(handle, order.orderId())).toList();
    }

    /** An order an earlier attempt of its request stored. */
    private OrderView storedBefore(Handle handle, String orderId) {
        log.info("Order {} was stored by an earlier attempt whose answer was lost; answered as stored", orderId);
        return views.find(handle, orderId).orElseThrow();
    }

    /** A request to place an order, with the id it was given once and its request's trace. */
    record NewPlacement(String orderId, PlaceOrderRequest request, Context trace) {
    }

    private static OrderReceived received(NewPlacement placement, Instant now) {
        PlaceOrderRequest request = placement.request();
        List<LineItem> items = request.items().stream()
                .map(item -> new LineItem(item.productId(), item.name(), item.quantity(), item.price().setScale(2, RoundingMode.UNNECESSARY)))
                .toList();
        BigDecimal total = items.stream().map(item -> item.price().multiply(BigDecimal.valueOf(item.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, RoundingMode.UNNECESSARY);
        return new OrderReceived(placement.orderId(), request.customerId(), items, total, request.currency(), now);
    }

    /**
     * An order typed into Kafka (or our own, coming back): stored if new, and the customer told. An order that a later
     * event created first (its OrderReceived came second: a record without a key travels on another partition than
     * the order's other events) is completed now with the customer's data, its items if it has none, and its RECEIVED
     * step's time and source, and the customer is told now: only its OrderReceived says so. Either way, once.
     */
    void onReceived(OrderReceived order, IncomingEvent event, EventContext context) {
        Instant at = order.timestamp() != null ? order.timestamp() : event.time();
        NewOrder learnt = new NewOrder(order.orderId(), order.customerId(), OrderStatus.RECEIVED,
                order.total(), order.currencyOrDefault(), "KAFKA", viewItems(order.items()), at, event.source());
        if (orders.insert(context.handle(), learnt)) {
            counters.reached(context.handle(), OrderStatus.RECEIVED, 1);
            log.info("Order {} received from Kafka ({})", order.orderId(), event.source());
            context.publish(receivedNotification(order, clock.instant()));
        } else if (orders.completeReceived(context.handle(), learnt)) {
            log.info("Order {} received from Kafka ({}) after a later event", order.orderId(), event.source());
            if (!orders.hasItems(context.handle(), order.orderId())) {
                orders.insertItems(context.handle(), learnt);
            }
            context.publish(receivedNotification(order, clock.instant()));
        }
    }

    void onRejected(OrderRejected rejected, IncomingEvent event, EventContext context) {
        String reasons = rejected.reasons().stream()
                .map(r -> r.productId() + ": " + r.reason() + (r.requested() == null ? "" : " (requested " + r.requested() + ", available " + r.available() + ")"))
                .collect(Collectors.joining("; "));
        advance(context.handle(), rejected.orderId(), rejected.customerId(), OrderStatus.REJECTED, event, reasons, List.of());
    }

    /**
     * {@link #advance} for a run of events of one status, in one statement; those it neither moved nor found passed
     * (orders not known yet, or cancelled or rejected meanwhile) go through {@link #advance} one by one.
     */
    void advanceAll(EventContext context, OrderStatus status, List<Step> steps) {
        Handle handle = context.handle();
        OrderRepository.Moves outcome = orders.moveForward(handle, status, steps.stream()
                .map(step -> new OrderRepository.Move(step.orderId(), step.event().time(), step.event().source(), null)).toList());
        counters.reached(handle, status, outcome.moved().size());
        for (Step step : steps) {
            try (var ids = context.logIds(step.event())) {
                if (outcome.moved().remove(step.orderId())) {
                    log.info("Order {} is {}", step.orderId(), status);
                } else if (outcome.passed().remove(step.orderId())) {
                    log.debug("Order {} is past {}: {} arrived late", step.orderId(), status, step.event().type());
                } else {
                    advance(handle, step.orderId(), step.customerId(), status, step.event(), null, step.items());
                }
            }
        }
    }

    /** An event moving an order to a status, with what an order not known yet is created from. */
    record Step(String orderId, String customerId, IncomingEvent event, List<LineItem> items) {
    }

    /**
     * Moves the order to {@code status} if that is forward; a late event (OrderConfirmed after OrderPickedAndPacked)
     * leaves the status as it is, and goes into the history when the order passed that step on its way to shipping.
     * An order not known yet (its OrderReceived is still on its way) is created from this event.
     */
    boolean advance(Handle handle, String orderId, String customerId, OrderStatus status, IncomingEvent event, String reason,
                    List<LineItem> items) {
        OrderRepository.Move move = new OrderRepository.Move(orderId, event.time(), event.source(), reason);
        OrderRepository.Moves outcome = orders.moveForward(handle, status, List.of(move));
        if (outcome.touchedNothing()) {
            // The statement did not see the order. Either it is not known yet, or another consumer (its OrderReceived,
            // on another partition, perhaps in another instance) stored it since: that statement's snapshot predates
            // that commit, the lock below does not. Both ways the order exists after this, so the step is tried again.
            if (orders.lockStatus(handle, orderId).isEmpty()) {
                createAwaitingReceived(handle, orderId, customerId, event, items);
            }
            outcome = orders.moveForward(handle, status, List.of(move)); // every status follows RECEIVED
        }
        if (!outcome.passed().isEmpty()) {
            log.debug("Order {} is past {}: {} arrived late", orderId, status, event.type());
            return false;
        }
        if (outcome.moved().isEmpty()) {
            log.debug("Order {} stays where it is: {} came too late", orderId, event.type());
            return false;
        }
        counters.reached(handle, status, 1);
        log.info("Order {} is {}", orderId, status);
        return true;
    }

    /** An order known only from a later event: RECEIVED, its customer's data to come with its OrderReceived. */
    private void createAwaitingReceived(Handle handle, String orderId, String customerId, IncomingEvent event, List<LineItem> items) {
        BigDecimal total = event.payload().hasNonNull("total") ? event.payload().get("total").decimalValue() : BigDecimal.ZERO;
        // Not inserted when its OrderReceived's transaction, which the lock could not see, stored it first: that order
        // has its customer's data and awaits nothing.
        if (orders.insert(handle, new NewOrder(orderId, customerId, OrderStatus.RECEIVED, total, OrderReceived.DEFAULT_CURRENCY, "KAFKA",
                viewItems(items), event.time(), event.source()))) {
            orders.markAwaitingReceived(handle, orderId);
        }
    }

    /**
     * Records the customer's cancellation request and sends it on to svc-shipper, which decides. Refused (409) once
     * the order shipped or was rejected; an order already cancelled is answered as it is.
     */
    OrderView.CancellationAnswer requestCancellation(Handle handle, String orderId, String reason) {
        OrderStatus status = orders.lockStatus(handle, orderId).orElseThrow(() -> DomainException.notFound("No order " + orderId));
        if (status == OrderStatus.SHIPPED) {
            throw DomainException.conflict("Order " + orderId + " has shipped: it can no longer be cancelled");
        }
        if (status == OrderStatus.REJECTED) {
            throw DomainException.conflict("Order " + orderId + " was rejected: there is nothing to cancel");
        }
        if (status != OrderStatus.CANCELLED) {
            Instant now = clock.instant();
            if (orders.requestCancellation(handle, orderId, reason, now)) {
                String customerId = orders.customerOf(handle, orderId);
                publisher.publish(handle, List.of(new OutgoingEvent(Topics.ORDER_CANCELLED, OrderCancellationRequested.TYPE, orderId,
                        new OrderCancellationRequested(orderId, customerId, reason, "customer", now))));
                log.info("Order {}: the customer asked to cancel ({})", orderId, reason);
            }
        }
        OrderView order = views.find(handle, orderId).orElseThrow();
        return new OrderView.CancellationAnswer(orderId, order.status(), order.cancellation());
    }

    void onCancelled(OrderCancelled cancelled, IncomingEvent event, EventContext context) {
        if (advance(context.handle(), cancelled.orderId(), cancelled.customerId(), OrderStatus.CANCELLED, event,
                cancelled.reason() + " (cancelled by " + cancelled.cancelledBy() + ")", List.of())) {
            counters.cancelled(context.handle(), cancelled.cancelledBy());
        }
    }

    private static OutgoingEvent receivedNotification(OrderReceived order, Instant now) {
        return CustomerNotice.of(order.orderId(), order.customerId(), Notification.Kind.ORDER_RECEIVED,
                "We received your order " + order.orderId() + " (" + order.total() + " " + order.currencyOrDefault() + ").", now);
    }

    private static List<OrderView.Item> viewItems(List<LineItem> items) {
        return items == null ? List.of() : items.stream()
                .map(item -> new OrderView.Item(item.productId(), item.name(), item.quantity(), item.price())).toList();
    }
}
