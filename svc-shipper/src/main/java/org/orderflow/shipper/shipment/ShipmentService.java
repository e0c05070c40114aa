package org.orderflow.shipper.shipment;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.Notification;
import org.orderflow.contract.events.OrderCancellationRequested;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderPickedAndPacked;
import org.orderflow.contract.events.OrderShipped;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.messaging.consumer.EventRouter.Payload;
import org.orderflow.service.CustomerNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides between shipping and cancelling: a packed order gets a carrier, a tracking number and an estimated delivery
 * date, unless it was cancelled first. Both take the order's lock, so an order is either shipped (a request to cancel
 * came too late) or cancelled (and then never shipped), never both.
 */
final class ShipmentService {
    private static final Logger log = LoggerFactory.getLogger(ShipmentService.class);

    private final ShipmentRepository repository;
    private final Carriers carriers;
    private final Clock clock;

    ShipmentService(ShipmentRepository repository, Carriers carriers, Clock clock) {
        this.repository = repository;
        this.carriers = carriers;
        this.clock = clock;
    }

    /**
     * Ships a poll's packed orders in three statements: take their locks, find those cancelled, insert the others'
     * shipments. A tracking number clashing with another shipment's fails the transaction on the unique constraint, and
     * the consumer's retry draws new numbers.
     */
    void ship(List<Payload<OrderPickedAndPacked>> packed, EventContext context) {
        Handle handle = context.handle();
        List<String> orderIds = packed.stream().map(order -> order.value().orderId()).distinct().toList();
        repository.lockOrders(handle, orderIds);
        Set<String> cancelled = repository.cancelledAmong(handle, orderIds);
        Instant now = clock.instant();
        Map<String, OrderShipped> shipments = new LinkedHashMap<>();
        for (Payload<OrderPickedAndPacked> order : packed) {
            String orderId = order.value().orderId();
            if (cancelled.contains(orderId)) {
                try (var ids = context.logIds(order.event())) {
                    log.info("Order {} is cancelled: not shipped", orderId);
                }
            } else {
                shipments.putIfAbsent(orderId, carriers.ship(order.value(), now));
            }
        }
        Set<String> created = repository.insert(handle, shipments.values());
        for (Payload<OrderPickedAndPacked> order : packed) {
            OrderShipped shipped = shipments.get(order.value().orderId());
            if (shipped != null && created.remove(shipped.orderId())) {
                try (var ids = context.logIds(order.event())) {
                    announce(shipped, order.event(), context);
                }
            }
        }
    }

    /** The customer's request against the shipment: too late if it shipped, otherwise the order is cancelled for good. */
    void decide(OrderCancellationRequested request, EventContext context) {
        Handle handle = context.handle();
        repository.lockOrders(handle, List.of(request.orderId()));
        Instant now = clock.instant();
        if (repository.find(handle, request.orderId()).isPresent()) {
            context.publish(CustomerNotice.of(request.orderId(), request.customerId(), Notification.Kind.CANCELLATION_TOO_LATE,
                    "Your order " + request.orderId() + " had already shipped when you asked to cancel it: it stays on its way.", now));
            log.info("Order {}: cancellation came too late, it has shipped", request.orderId());
            return;
        }
        if (!repository.recordCancellation(handle, request.orderId(), request.reason(), request.requestedBy(), now)) {
            return; // cancelled before (the request came twice, or a pick failed first)
        }
        context.publish(OutgoingEvent.of(Topics.ORDER_CANCELLED, request.orderId(),
                new OrderCancelled(request.orderId(), request.customerId(), request.reason(), request.requestedBy(), now)));
        context.publish(CustomerNotice.of(request.orderId(), request.customerId(), Notification.Kind.ORDER_CANCELLED,
                "Your order " + request.orderId() + " is cancelled, as you asked.", now));
        log.info("Order {} cancelled before it shipped", request.orderId());
    }

    /** An order cancelled elsewhere (a pick that failed) is never shipped. */
    void recordCancelled(OrderCancelled cancelled, EventContext context) {
        repository.lockOrders(context.handle(), List.of(cancelled.orderId()));
        repository.recordCancellation(context.handle(), cancelled.orderId(), cancelled.reason(), cancelled.cancelledBy(), clock.instant());
    }

    private static void announce(OrderShipped shipped, IncomingEvent cause, EventContext context) {
        context.publish(OutgoingEvent.of(Topics.ORDER_SHIPPED, shipped.orderId(), shipped), cause);
        context.publish(CustomerNotice.of(shipped.orderId(), shipped.customerId(), Notification.Kind.ORDER_SHIPPED,
                "Your order " + shipped.orderId() + " is on its way with " + shipped.carrier() + ", tracking number "
                        + shipped.trackingNumber() + ", expected on " + shipped.estimatedDelivery() + ".", shipped.timestamp()), cause);
        log.info("Order {} shipped with {} ({})", shipped.orderId(), shipped.carrier(), shipped.trackingNumber());
    }
}
