package org.orderflow.warehouse.fulfilment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.Notification;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderConfirmed;
import org.orderflow.contract.events.OrderPickedAndPacked;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.messaging.consumer.EventRouter.Payload;
import org.orderflow.service.CustomerNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what becomes of a confirmed order in the warehouse: picked and packed at once (packing time 0, the default)
 * or once its packing time has passed, failed (a damaged product, a random failure) and so cancelled, or stopped by a
 * cancellation.
 */
final class FulfilmentService {
    /** The reason of an OrderCancelled decided here. */
    static final String PICK_FAILED = "PICK_FAILED";
    private static final Logger log = LoggerFactory.getLogger(FulfilmentService.class);

    private final FulfilmentRepository repository;
    private final Clock clock;
    private final Duration packingTime;
    private final double pickFailureRate;
    private final RandomGenerator random;

    FulfilmentService(FulfilmentRepository repository, Clock clock, Duration packingTime, double pickFailureRate, RandomGenerator random) {
        this.repository = repository;
        this.clock = clock;
        this.packingTime = packingTime;
        this.pickFailureRate = pickFailureRate;
        this.random = random;
    }

    /**
     * Picks a poll's confirmed orders in two statements: damaged products among theirs, then the new fulfilments as
     * they end up (packed at once with packing time 0, failed, or picking until due). An order picked before, or
     * cancelled before it came, already has its row and is left alone.
     */
    void pick(List<Payload<OrderConfirmed>> confirmed, EventContext context) {
        Handle handle = context.handle();
        Instant now = clock.instant();
        Set<String> damaged = repository.damagedAmong(handle, confirmed.stream()
                .flatMap(order -> order.value().items().stream().map(LineItem::productId)).collect(Collectors.toSet()));
        Map<String, FulfilmentRepository.NewFulfilment> picks = new LinkedHashMap<>();
        Map<String, IncomingEvent> causes = new HashMap<>();
        for (Payload<OrderConfirmed> order : confirmed) {
            OrderConfirmed picked = order.value();
            if (!picks.containsKey(picked.orderId())) {
                picks.put(picked.orderId(), pickOutcome(picked, damaged, now, context.traceparentOf(order.event())));
                causes.put(picked.orderId(), order.event());
            }
        }
        Set<String> fresh = repository.insertAll(handle, picks.values());
        for (FulfilmentRepository.NewFulfilment pick : picks.values()) {
            if (fresh.contains(pick.order().orderId())) {
                IncomingEvent cause = causes.get(pick.order().orderId());
                try (var ids = context.logIds(cause)) {
                    announce(pick, event -> context.publish(event, cause));
                }
            }
        }
    }

    /** A cancelled order's fulfilment stops, or is undone; one not seen yet will not be picked when it comes. */
    void cancel(OrderCancelled cancelled, Handle handle) {
        Optional<FulfilmentStatus> before = repository.cancel(handle, cancelled.orderId(), cancelled.customerId(), cancelled.reason(),
                clock.instant());
        log.info("Order {} cancelled ({}): fulfilment was {}", cancelled.orderId(), cancelled.reason(),
                before.map(Enum::name).orElse("not started"));
    }

    /**
     * Marks up to {@code limit} fulfilments that are due packed (one statement) and publishes, for each, that it is, in
     * the trace of the order's confirmation.
     */
    void packDue(Handle handle, int limit, Consumer<List<EventPublisher.Traced>> publish) {
        Instant now = clock.instant();
        List<FulfilmentRepository.Due> dues = repository.lockDue(handle, now, limit);
        if (dues.isEmpty()) {
            return;
        }
        repository.markPacked(handle, dues.stream().map(FulfilmentRepository.Due::orderId).toList(), now);
        List<EventPublisher.Traced> packed = new ArrayList<>();
        for (FulfilmentRepository.Due due : dues) {
            List<OutgoingEvent> events = new ArrayList<>();
            announcePacked(due, now, events::add);
            packed.add(EventPublisher.Traced.continuing(due.traceparent(), events));
        }
        publish.accept(packed);
    }

    private FulfilmentRepository.NewFulfilment pickOutcome(OrderConfirmed order, Set<String> damaged, Instant now,
                                                           Optional<String> traceparent) {
        Optional<String> failure = pickFailure(order.items(), damaged);
        if (failure.isPresent()) {
            return FulfilmentRepository.NewFulfilment.failed(order, now, failure.get());
        }
        return packingTime.isZero() ? FulfilmentRepository.NewFulfilment.packed(order, now)
                : FulfilmentRepository.NewFulfilment.picking(order, now, now.plus(packingTime), traceparent);
    }

    private void announce(FulfilmentRepository.NewFulfilment pick, Consumer<OutgoingEvent> publish) {
        OrderConfirmed order = pick.order();
        switch (pick.status()) {
            case FAILED -> failPick(order, pick.failure(), publish);
            case PACKED -> announcePacked(new FulfilmentRepository.Due(order.orderId(), order.customerId(), order.items(), Optional.empty()),
                    pick.createdAt(), publish);
            default -> log.info("Order {} is being picked", order.orderId());
        }
    }

    private Optional<String> pickFailure(List<LineItem> items, Set<String> damagedProducts) {
        List<String> damaged = items.stream().map(LineItem::productId).filter(damagedProducts::contains).distinct().sorted().toList();
        if (!damaged.isEmpty()) {
            return Optional.of("damaged on the shelf: " + String.join(", ", damaged));
        }
        return pickFailureRate > 0 && random.nextDouble() < pickFailureRate ? Optional.of("the pick failed") : Optional.empty();
    }

    /** The order cannot be picked (its fulfilment is FAILED): it is cancelled (its stock released), and the customer told. */
    private void failPick(OrderConfirmed confirmed, String why, Consumer<OutgoingEvent> publish) {
        Instant now = clock.instant();
        publish.accept(OutgoingEvent.of(Topics.ORDER_CANCELLED, confirmed.orderId(),
                new OrderCancelled(confirmed.orderId(), confirmed.customerId(), PICK_FAILED, "svc-warehouse", now)));
        publish.accept(CustomerNotice.of(confirmed.orderId(), confirmed.customerId(), Notification.Kind.ORDER_CANCELLED,
                "Sorry, we had to cancel your order " + confirmed.orderId() + ": " + why + ". You will not be charged.", now));
        log.warn("Order {} cancelled: pick failed ({})", confirmed.orderId(), why);
    }

    private static void announcePacked(FulfilmentRepository.Due due, Instant packedAt, Consumer<OutgoingEvent> publish) {
        publish.accept(OutgoingEvent.of(Topics.ORDER_PICKED_AND_PACKED, due.orderId(),
                new OrderPickedAndPacked(due.orderId(), due.customerId(), due.items(), packedAt)));
        publish.accept(CustomerNotice.of(due.orderId(), due.customerId(), Notification.Kind.ORDER_PICKED_AND_PACKED,
                "Your order " + due.orderId() + " is packed and waiting for the carrier.", packedAt));
        log.info("Order {} picked and packed", due.orderId());
    }
}
