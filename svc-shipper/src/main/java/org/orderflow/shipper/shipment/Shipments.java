package org.orderflow.shipper.shipment;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.contract.Topics;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.contract.events.Notification;
import org.orderflow.contract.events.OrderCancellationRequested;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderPickedAndPacked;
import org.orderflow.contract.events.OrderShipped;
import org.orderflow.messaging.sql.SqlArrays;
import org.orderflow.service.ServiceFeature;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipment feature: a packed order gets a carrier, a tracking number and an estimated delivery date. It is
 * also where a cancellation request meets the shipment: both take the order's lock, so an order is either shipped
 * (the request came too late) or cancelled (and then never shipped), never both.
 */
public final class Shipments implements ServiceFeature {
    /** What svc-shipper consumes. */
    public static final List<String> TOPICS = List.of(Topics.ORDER_PICKED_AND_PACKED, Topics.ORDER_CANCELLED);
    private static final Logger log = LoggerFactory.getLogger(Shipments.class);
    private static final List<String> CARRIERS = List.of("DHL", "UPS", "FedEx", "PostNL");
    private static final char[] TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Shipments(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public List<String> topics() {
        return TOPICS;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.get("/shipments/{order_id}", ctx -> {
            String orderId = ctx.pathParam("order_id");
            ctx.json(jdbi.withHandle(handle -> find(handle, orderId))
                    .orElseThrow(() -> ProblemException.notFound("No shipment for order " + orderId)));
        });
    }

    @Override
    public EventRouter events() {
        return EventRouter.builder()
                .onAll(OrderPickedAndPacked.TYPE, OrderPickedAndPacked.class, this::ship)
                // One shipment per order, inserted ON CONFLICT DO NOTHING, announced only when new: its own inbox.
                .deduplicatedById(OrderPickedAndPacked.TYPE)
                .on(OrderCancellationRequested.TYPE, OrderCancellationRequested.class, (request, event, context) -> decide(request, context))
                .on(OrderCancelled.TYPE, OrderCancelled.class, (cancelled, event, context) -> {
                    lockOrder(context.handle(), cancelled.orderId());
                    recordCancellation(context.handle(), cancelled.orderId(), cancelled.reason(), cancelled.cancelledBy());
                })
                .build();
    }

    /**
     * Ships a poll's packed orders in three statements: take their locks, find those cancelled, insert the others'
     * shipments. A tracking number is 16 random characters after the carrier: a clash with another shipment is so
     * unlikely that the unique constraint failing the transaction (and the consumer retrying with new numbers) is
     * handling enough.
     */
    private void ship(List<EventRouter.Payload<OrderPickedAndPacked>> packed, EventContext context) {
        Handle handle = context.handle();
        List<String> orderIds = packed.stream().map(order -> order.value().orderId()).distinct().toList();
        lockOrders(handle, orderIds);
        Set<String> cancelled = new HashSet<>(handle.createQuery("SELECT order_id FROM cancellations WHERE order_id = ANY (:orderIds)")
                .bind("orderIds", SqlArrays.text(orderIds)).mapTo(String.class).list());
        Instant now = clock.instant();
        Map<String, OrderShipped> shipments = new LinkedHashMap<>();
        for (EventRouter.Payload<OrderPickedAndPacked> order : packed) {
            String orderId = order.value().orderId();
            if (cancelled.contains(orderId)) {
                log.info("Order {} is cancelled: not shipped", orderId);
            } else {
                shipments.putIfAbsent(orderId, shipment(order.value(), now));
            }
        }
        Set<String> created = insert(handle, shipments.values());
        for (EventRouter.Payload<OrderPickedAndPacked> order : packed) {
            OrderShipped shipped = shipments.get(order.value().orderId());
            if (shipped != null && created.remove(shipped.orderId())) {
                announce(shipped, order.event(), context);
            }
        }
    }

    private OrderShipped shipment(OrderPickedAndPacked packed, Instant now) {
        String carrier = CARRIERS.get(Math.floorMod(packed.orderId().hashCode(), CARRIERS.size()));
        String trackingNumber = carrier.toUpperCase(java.util.Locale.ROOT) + "-" + randomCode(16);
        LocalDate estimatedDelivery = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(2 + Math.floorMod(packed.orderId().hashCode(), 3));
        return new OrderShipped(packed.orderId(), packed.customerId(), carrier, trackingNumber, estimatedDelivery, now);
    }

    /** Inserts the shipments not there yet; returns their order ids. */
    private static Set<String> insert(Handle handle, Collection<OrderShipped> shipments) {
        if (shipments.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(handle.createQuery("""
                        INSERT INTO shipments (order_id, customer_id, carrier, tracking_number, estimated_delivery, shipped_at)
                        SELECT * FROM unnest(CAST(:orderIds AS text[]), CAST(:customerIds AS text[]), CAST(:carriers AS text[]),
                                             CAST(:trackingNumbers AS text[]), CAST(:estimatedDeliveries AS date[]),
                                             CAST(:shippedAts AS timestamptz[]))
                        ON CONFLICT (order_id) DO NOTHING
                        RETURNING order_id""")
                .bind("orderIds", SqlArrays.text(shipments.stream().map(OrderShipped::orderId).toList()))
                .bind("customerIds", SqlArrays.text(shipments.stream().map(OrderShipped::customerId).toList()))
                .bind("carriers", SqlArrays.text(shipments.stream().map(OrderShipped::carrier).toList()))
                .bind("trackingNumbers", SqlArrays.text(shipments.stream().map(OrderShipped::trackingNumber).toList()))
                .bind("estimatedDeliveries", SqlArrays.text(shipments.stream().map(s -> s.estimatedDelivery().toString()).toList()))
                .bind("shippedAts", SqlArrays.text(shipments.stream().map(s -> s.timestamp().toString()).toList()))
                .mapTo(String.class)
                .list());
    }

    private static void announce(OrderShipped shipped, IncomingEvent cause, EventContext context) {
        context.publish(OutgoingEvent.of(Topics.ORDER_SHIPPED, shipped.orderId(), shipped), cause);
        context.publish(OutgoingEvent.of(Topics.NOTIFICATION, shipped.orderId(), new Notification(shipped.orderId(), shipped.customerId(),
                Notification.Kind.ORDER_SHIPPED, "Your order " + shipped.orderId() + " is on its way with " + shipped.carrier()
                + ", tracking number " + shipped.trackingNumber() + ", expected on " + shipped.estimatedDelivery() + ".",
                shipped.timestamp())), cause);
        log.info("Order {} shipped with {} ({})", shipped.orderId(), shipped.carrier(), shipped.trackingNumber());
    }

    /** The customer's request against the shipment: too late if it shipped, otherwise the order is cancelled for good. */
    private void decide(OrderCancellationRequested request, EventContext context) {
        Handle handle = context.handle();
        lockOrder(handle, request.orderId());
        Instant now = clock.instant();
        if (find(handle, request.orderId()).isPresent()) {
            context.publish(OutgoingEvent.of(Topics.NOTIFICATION, request.orderId(), new Notification(request.orderId(), request.customerId(),
                    Notification.Kind.CANCELLATION_TOO_LATE, "Your order " + request.orderId()
                    + " had already shipped when you asked to cancel it: it stays on its way.", now)));
            log.info("Order {}: cancellation came too late, it has shipped", request.orderId());
            return;
        }
        if (!recordCancellation(handle, request.orderId(), request.reason(), request.requestedBy())) {
            return; // cancelled before (the request came twice, or a pick failed first)
        }
        context.publish(OutgoingEvent.of(Topics.ORDER_CANCELLED, request.orderId(),
                new OrderCancelled(request.orderId(), request.customerId(), request.reason(), request.requestedBy(), now)));
        context.publish(OutgoingEvent.of(Topics.NOTIFICATION, request.orderId(), new Notification(request.orderId(), request.customerId(),
                Notification.Kind.ORDER_CANCELLED, "Your order " + request.orderId() + " is cancelled, as you asked.", now)));
        log.info("Order {} cancelled before it shipped", request.orderId());
    }

    /** Shipping and cancelling one order take turns: a transaction-scoped lock on the order id. */
    private static void lockOrder(Handle handle, String orderId) {
        lockOrders(handle, List.of(orderId));
    }

    /** The locks of many orders, taken in one order (of their keys) so that two batches cannot deadlock. */
    private static void lockOrders(Handle handle, List<String> orderIds) {
        handle.createQuery("""
                        SELECT count(pg_advisory_xact_lock(lock_key))
                        FROM (SELECT DISTINCT hashtextextended(order_id, 0) AS lock_key FROM unnest(CAST(:orderIds AS text[])) AS order_id
                              ORDER BY lock_key) AS keys""")
                .bind("orderIds", SqlArrays.text(orderIds)).mapTo(Long.class).one();
    }

    private static boolean isCancelled(Handle handle, String orderId) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM cancellations WHERE order_id = :orderId)")
                .bind("orderId", orderId).mapTo(Boolean.class).one();
    }

    private boolean recordCancellation(Handle handle, String orderId, String reason, String cancelledBy) {
        return handle.createUpdate("""
                        INSERT INTO cancellations (order_id, reason, cancelled_by, cancelled_at) VALUES (:orderId, :reason, :by, :now)
                        ON CONFLICT (order_id) DO NOTHING""")
                .bind("orderId", orderId).bind("reason", reason).bind("by", cancelledBy).bind("now", clock.instant()).execute() == 1;
    }

    private static Optional<ShipmentView> find(Handle handle, String orderId) {
        return handle.createQuery("""
                        SELECT order_id, customer_id, carrier, tracking_number, estimated_delivery, shipped_at FROM shipments
                        WHERE order_id = :orderId""")
                .bind("orderId", orderId)
                .map((rs, ctx) -> new ShipmentView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, LocalDate.class), rs.getTimestamp(6).toInstant()))
                .findOne();
    }

    private String randomCode(int length) {
        char[] code = new char[length];
        for (int i = 0; i < length; i++) {
            code[i] = TRACKING_ALPHABET[random.nextInt(TRACKING_ALPHABET.length)];
        }
        return new String(code);
    }
}
