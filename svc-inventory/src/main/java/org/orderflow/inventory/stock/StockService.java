package org.orderflow.inventory.stock;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.contract.Topics;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.messaging.consumer.EventRouter.Payload;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.Notification;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderConfirmed;
import org.orderflow.contract.events.OrderReceived;
import org.orderflow.contract.events.OrderRejected;
import org.orderflow.contract.events.OrderShipped;
import org.orderflow.service.CustomerNotice;
import org.orderflow.service.DomainException;
import org.orderflow.service.http.Input;
import org.orderflow.service.http.Problem;
import org.orderflow.service.http.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reserving stock for orders (all items or none), and taking it off the shelves when they ship. */
final class StockService {
    private static final Logger log = LoggerFactory.getLogger(StockService.class);
    /** The same bounds as an order's lines (svc-order's OrderValidation) and the event schemas. */
    private static final int MAX_NAME_LENGTH = 200;
    private static final BigDecimal MAX_PRICE = new BigDecimal("999999.99");
    /** Far below the INT column's limit, so that restocking cannot overflow it. */
    private static final int MAX_ON_HAND = 1_000_000_000;

    private final StockRepository stock;
    private final Clock clock;

    private final StockCounters counters;

    StockService(StockRepository stock, Clock clock, StockCounters counters) {
        this.counters = counters;
        this.stock = stock;
        this.clock = clock;
    }

    /**
     * Decides a poll's orders all at once: all items or none, in the order they came, each against the stock the
     * orders before it left. A handful of statements for the whole batch: claim the decisions, lock the products
     * (in product-id order, so concurrent consumers cannot deadlock), reserve, record the decisions.
     */
    void onReceived(List<Payload<OrderReceived>> received, EventContext context) {
        Handle handle = context.handle();
        Set<String> undecided = stock.claimDecisions(handle, received.stream().map(order -> order.value().orderId()).distinct().toList(),
                Decision.RECEIVED);
        List<Payload<OrderReceived>> orders = new ArrayList<>();
        for (Payload<OrderReceived> order : received) {
            if (undecided.remove(order.value().orderId())) {
                orders.add(order);
            } else {
                try (var ids = context.logIds(order.event())) {
                    log.info("Order {} was decided before (seen again, or cancelled first): nothing to reserve", order.value().orderId());
                }
            }
        }
        Set<String> productIds = new TreeSet<>();
        orders.forEach(order -> order.value().items().forEach(item -> productIds.add(item.productId())));
        Map<String, ProductView> products = orders.isEmpty() ? Map.of() : stock.lockProducts(handle, productIds);
        Map<String, Integer> available = new HashMap<>();
        products.values().forEach(product -> available.put(product.productId(), product.available()));
        List<StockRepository.Reservation> reservations = new ArrayList<>();
        Map<String, Decision> decisions = new HashMap<>();
        for (Payload<OrderReceived> order : orders) {
            try (var ids = context.logIds(order.event())) {
                Map<String, Integer> quantities = quantities(order.value());
                List<OrderRejected.Reason> reasons = shortages(quantities, available);
                if (reasons.isEmpty()) {
                    quantities.forEach((productId, quantity) -> {
                        available.merge(productId, -quantity, Integer::sum);
                        reservations.add(new StockRepository.Reservation(order.value().orderId(), productId, quantity));
                    });
                    decisions.put(order.value().orderId(), Decision.CONFIRMED);
                    confirm(order, products, context);
                } else {
                    decisions.put(order.value().orderId(), Decision.REJECTED);
                    reject(order, reasons, context);
                }
            }
        }
        stock.reserveAll(handle, reservations);
        stock.decideAll(handle, decisions);
        counters.reserved(handle, (int) decisions.values().stream().filter(decision -> decision == Decision.CONFIRMED).count(),
                reservations.stream().mapToLong(StockRepository.Reservation::quantity).sum());
    }

    /** Takes the shipped orders' stock off the shelves, for all of a poll's shipments in two statements. */
    void onShipped(List<Payload<OrderShipped>> shipped, EventContext context) {
        List<String> orderIds = shipped.stream().map(order -> order.value().orderId()).distinct().toList();
        stock.endReservations(context.handle(), orderIds, ReservationEnd.SHIPPED);
        Map<String, Decision> decisions = new HashMap<>();
        orderIds.forEach(orderId -> decisions.put(orderId, Decision.SHIPPED));
        stock.decideAll(context.handle(), decisions);
        counters.shipped(context.handle(), orderIds.size());
        Set<String> logged = new HashSet<>();
        for (Payload<OrderShipped> order : shipped) {
            if (logged.add(order.value().orderId())) {
                try (var ids = context.logIds(order.event())) {
                    log.info("Order {} shipped: its reservations are taken off the shelves", order.value().orderId());
                }
            }
        }
    }

    private static Map<String, Integer> quantities(OrderReceived order) {
        Map<String, Integer> quantities = new TreeMap<>();
        order.items().forEach(item -> quantities.merge(item.productId(), item.quantity(), Integer::sum));
        return quantities;
    }

    private static List<OrderRejected.Reason> shortages(Map<String, Integer> quantities, Map<String, Integer> available) {
        List<OrderRejected.Reason> reasons = new ArrayList<>();
        quantities.forEach((productId, quantity) -> {
            Integer left = available.get(productId);
            if (left == null) {
                reasons.add(new OrderRejected.Reason(productId, "UNKNOWN_PRODUCT", quantity, null));
            } else if (left < quantity) {
                reasons.add(new OrderRejected.Reason(productId, "OUT_OF_STOCK", quantity, left));
            }
        });
        return reasons;
    }

    /**
     * A cancellation decided (never a mere request): the order's reservation is released, once. An order not seen yet
     * is marked cancelled, so that its OrderReceived, when it comes, reserves nothing.
     */
    void onCancelled(OrderCancelled cancelled, EventContext context) {
        Handle handle = context.handle();
        if (stock.claimDecision(handle, cancelled.orderId(), Decision.CANCELLED)) {
            log.info("Order {} cancelled before it reached inventory: it will reserve nothing", cancelled.orderId());
            return;
        }
        Decision decision = stock.lockDecision(handle, cancelled.orderId()).orElseThrow();
        if (decision == Decision.SHIPPED) {
            log.warn("Order {} was cancelled after it shipped; its stock stays shipped", cancelled.orderId());
            return;
        }
        stock.endReservations(handle, List.of(cancelled.orderId()), ReservationEnd.RELEASED);
        stock.decide(handle, cancelled.orderId(), Decision.CANCELLED);
        counters.released(handle);
        log.info("Order {} cancelled ({}): its reservations are released", cancelled.orderId(), cancelled.reason());
    }

    /** PUT /products/{id}: creates the product, or sets its name, price and stock. */
    ProductView put(Handle handle, String productId, PutProductRequest request) {
        validate(productId, request);
        var existing = stock.lock(handle, productId);
        if (existing.isEmpty()) {
            if (request.name() == null || request.price() == null) {
                throw ProblemException.badRequest("A new product needs a name and a price", List.of(
                        new Problem.FieldError(request.name() == null ? "name" : "price", "is required to create a product")));
            }
            stock.insert(handle, productId, request.name(), request.price(), request.onHand());
        } else {
            ProductView current = existing.get();
            if (request.onHand() < current.reserved()) {
                throw DomainException.conflict("on_hand cannot go below the " + current.reserved() + " unit(s) reserved by confirmed orders");
            }
            stock.update(handle, productId, request.name() != null ? request.name() : current.name(),
                    request.price() != null ? request.price() : current.price(), request.onHand());
        }
        return stock.find(handle, productId).orElseThrow();
    }

    private void confirm(Payload<OrderReceived> received, Map<String, ProductView> products, EventContext context) {
        OrderReceived order = received.value();
        List<LineItem> items = order.items().stream().map(item -> new LineItem(item.productId(),
                item.name() != null ? item.name() : products.get(item.productId()).name(), item.quantity(), item.price())).toList();
        context.publish(OutgoingEvent.of(Topics.ORDER_CONFIRMED, order.orderId(),
                new OrderConfirmed(order.orderId(), order.customerId(), items, order.total(), clock.instant())), received.event());
        context.publish(CustomerNotice.of(order.orderId(), order.customerId(), Notification.Kind.ORDER_CONFIRMED,
                "Your order " + order.orderId() + " is confirmed: everything is in stock.", clock.instant()), received.event());
        log.info("Order {} confirmed: stock reserved for {} product(s)", order.orderId(), items.stream().map(LineItem::productId).distinct().count());
    }

    private void reject(Payload<OrderReceived> received, List<OrderRejected.Reason> reasons, EventContext context) {
        OrderReceived order = received.value();
        context.publish(OutgoingEvent.of(Topics.ORDER_REJECTED, order.orderId(),
                new OrderRejected(order.orderId(), order.customerId(), reasons, clock.instant())), received.event());
        String why = String.join(", ", reasons.stream().map(r -> r.productId() + " " + r.reason().toLowerCase().replace('_', ' ')).toList());
        context.publish(CustomerNotice.of(order.orderId(), order.customerId(), Notification.Kind.ORDER_REJECTED,
                "Sorry, we cannot fulfil your order " + order.orderId() + ": " + why + ".", clock.instant()), received.event());
        log.info("Order {} rejected: {}", order.orderId(), why);
    }

    private static void validate(String productId, PutProductRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (productId.length() > 100) {
            errors.add(new Problem.FieldError("product_id", "must be at most 100 characters"));
        }
        if (request.onHand() == null) {
            errors.add(new Problem.FieldError("on_hand", "is required"));
        } else if (request.onHand() < 0 || request.onHand() > MAX_ON_HAND) {
            errors.add(new Problem.FieldError("on_hand", "must be from 0 to " + MAX_ON_HAND));
        }
        if (request.name() != null && request.name().isBlank()) {
            errors.add(new Problem.FieldError("name", "must not be blank"));
        }
        Input.text(errors, "name", request.name(), MAX_NAME_LENGTH);
        if (request.price() != null && (request.price().signum() <= 0 || request.price().compareTo(MAX_PRICE) > 0)) {
            errors.add(new Problem.FieldError("price", "must be more than 0 and at most " + MAX_PRICE));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The product is not valid", errors);
        }
    }
}
