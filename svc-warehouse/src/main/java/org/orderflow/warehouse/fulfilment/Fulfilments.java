package org.orderflow.warehouse.fulfilment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.random.RandomGenerator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.IncomingEvent;
import org.orderflow.messaging.OutgoingEvent;
import org.orderflow.contract.Topics;
import org.orderflow.messaging.consumer.EventContext;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.Notification;
import org.orderflow.contract.events.OrderCancellationRequested;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderConfirmed;
import org.orderflow.contract.events.OrderPickedAndPacked;
import org.orderflow.service.CustomerNotice;
import org.orderflow.service.ServiceFeature;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fulfilment feature: a confirmed order is picked and packed, at once (packing time 0, the default) or by the
 * packer once its packing time has passed; then OrderPickedAndPacked is published.
 */
public final class Fulfilments implements AutoCloseable, ServiceFeature {
    /** What svc-warehouse consumes. */
    public static final List<String> TOPICS = List.of(Topics.ORDER_CONFIRMED, Topics.ORDER_CANCELLED);
    /** The reason of an OrderCancelled decided here. */
    public static final String PICK_FAILED = "PICK_FAILED";
    private static final Logger log = LoggerFactory.getLogger(Fulfilments.class);

    private final Jdbi jdbi;
    private final EventPublisher publisher;
    private final Clock clock;
    private final Duration packingTime;
    private final double pickFailureRate;
    private final RandomGenerator random;
    private final FulfilmentRepository repository = new FulfilmentRepository();
    private final ScheduledExecutorService packer;

    /**
     * @param pickFailureRate share of picks that fail at random (0 to 1; for demos and tests), besides those of
     *                        products marked damaged
     */
    public Fulfilments(Jdbi jdbi, EventPublisher publisher, Clock clock, Duration packingTime, double pickFailureRate,
                       RandomGenerator random) {
        this.jdbi = jdbi;
        this.publisher = publisher;
        this.clock = clock;
        this.packingTime = packingTime;
        this.pickFailureRate = pickFailureRate;
        this.random = random;
        this.packer = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "packer"));
    }

    /** Starts the packer, which packs what is due every 100 ms (only needed with a packing time). */
    public Fulfilments start() {
        if (!packingTime.isZero()) {
            packer.scheduleWithFixedDelay(this::packDue, 100, 100, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public List<String> topics() {
        return TOPICS;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.get("/fulfilments/{order_id}", ctx -> {
            String orderId = ctx.pathParam("order_id");
            ctx.json(jdbi.withHandle(handle -> repository.find(handle, orderId))
                    .orElseThrow(() -> ProblemException.notFound("No fulfilment for order " + orderId)));
        });
        routes.get("/damaged-products", ctx -> ctx.json(java.util.Map.of("damaged_products", jdbi.withHandle(repository::damaged))));
        routes.put("/damaged-products/{product_id}", ctx -> {
            jdbi.useHandle(handle -> repository.markDamaged(handle, ctx.pathParam("product_id")));
            ctx.status(204);
        });
        routes.delete("/damaged-products/{product_id}", ctx -> {
            jdbi.useHandle(handle -> repository.clearDamaged(handle, ctx.pathParam("product_id")));
            ctx.status(204);
        });
    }

    @Override
    public EventRouter events() {
        return EventRouter.builder()
                .onAll(OrderConfirmed.TYPE, OrderConfirmed.class, this::pick)
                // One fulfilment per order, inserted ON CONFLICT DO NOTHING, announced only when new: its own inbox.
                .deduplicatedById(OrderConfirmed.TYPE)
                .on(OrderCancelled.TYPE, OrderCancelled.class, (cancelled, event, context) -> {
                    Optional<String> before = repository.cancel(context.handle(), cancelled.orderId(), cancelled.customerId(),
                            cancelled.reason(), clock.instant());
                    log.info("Order {} cancelled ({}): fulfilment was {}", cancelled.orderId(), cancelled.reason(), before.orElse("not started"));
                })
                // A request is not a decision: picking goes on until svc-shipper decides.
                .ignore(OrderCancellationRequested.TYPE)
                .build();
    }

    /**
     * Picks a poll's confirmed orders in two statements: damaged products among theirs, then the new fulfilments as
     * they end up (packed at once with packing time 0, failed, or picking until due). An order picked before, or
     * cancelled before it came, already has its row and is left alone.
     */
    private void pick(List<EventRouter.Payload<OrderConfirmed>> confirmed, EventContext context) {
        Handle handle = context.handle();
        Instant now = clock.instant();
        Set<String> damaged = repository.damagedAmong(handle, confirmed.stream()
                .flatMap(order -> order.value().items().stream().map(LineItem::productId)).collect(Collectors.toSet()));
        Map<String, FulfilmentRepository.NewFulfilment> picks = new LinkedHashMap<>();
        Map<String, IncomingEvent> causes = new HashMap<>();
        for (EventRouter.Payload<OrderConfirmed> order : confirmed) {
            OrderConfirmed picked = order.value();
            if (!picks.containsKey(picked.orderId())) {
                picks.put(picked.orderId(), pickOutcome(picked, damaged, now));
                causes.put(picked.orderId(), order.event());
            }
        }
        Set<String> fresh = repository.insertAll(handle, picks.values());
        for (FulfilmentRepository.NewFulfilment pick : picks.values()) {
            if (fresh.contains(pick.order().orderId())) {
                announce(pick, event -> context.publish(event, causes.get(pick.order().orderId())));
            }
        }
    }

    private FulfilmentRepository.NewFulfilment pickOutcome(OrderConfirmed order, Set<String> damaged, Instant now) {
        Optional<String> failure = pickFailure(order.items(), damaged);
        if (failure.isPresent()) {
            return FulfilmentRepository.NewFulfilment.failed(order, now, failure.get());
        }
        return packingTime.isZero() ? FulfilmentRepository.NewFulfilment.packed(order, now)
                : FulfilmentRepository.NewFulfilment.picking(order, now, now.plus(packingTime));
    }

    private void announce(FulfilmentRepository.NewFulfilment pick, Consumer<OutgoingEvent> publish) {
        OrderConfirmed order = pick.order();
        switch (pick.status()) {
            case FulfilmentRepository.FAILED -> failPick(order, pick.failure(), publish);
            case FulfilmentRepository.PACKED -> announcePacked(new FulfilmentRepository.Due(order.orderId(), order.customerId(), order.items()),
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

    @Override
    public void close() {
        packer.shutdownNow();
    }

    private void packDue() {
        try {
            jdbi.useTransaction(handle -> pack(handle, repository.lockDue(handle, clock.instant(), 100),
                    (due, event) -> publisher.publish(handle, List.of(event))));
        } catch (RuntimeException e) {
            log.warn("Packing failed; will try again: {}", e.toString());
        }
    }

    /** Marks fulfilments the packer found due packed (one statement) and publishes, for each, that it is. */
    private void pack(Handle handle, List<FulfilmentRepository.Due> dues, BiConsumer<FulfilmentRepository.Due, OutgoingEvent> publish) {
        if (dues.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        repository.markPacked(handle, dues.stream().map(FulfilmentRepository.Due::orderId).toList(), now);
        for (FulfilmentRepository.Due due : dues) {
            announcePacked(due, now, event -> publish.accept(due, event));
        }
    }

    private static void announcePacked(FulfilmentRepository.Due due, Instant packedAt, Consumer<OutgoingEvent> publish) {
        publish.accept(OutgoingEvent.of(Topics.ORDER_PICKED_AND_PACKED, due.orderId(),
                new OrderPickedAndPacked(due.orderId(), due.customerId(), due.items(), packedAt)));
        publish.accept(CustomerNotice.of(due.orderId(), due.customerId(), Notification.Kind.ORDER_PICKED_AND_PACKED,
                "Your order " + due.orderId() + " is packed and waiting for the carrier.", packedAt));
        log.info("Order {} picked and packed", due.orderId());
    }
}
