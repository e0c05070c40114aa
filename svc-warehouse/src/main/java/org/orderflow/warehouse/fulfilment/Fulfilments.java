package org.orderflow.warehouse.fulfilment;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.OrderCancellationRequested;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderConfirmed;
import org.orderflow.messaging.EventPublisher;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.service.ServiceFeature;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.ProblemException;

/**
 * The fulfilment feature's routes: HTTP and events, translated into calls of the {@link FulfilmentService}, which
 * decides; and the {@link Packer}, which packs what is due when picking takes time.
 */
public final class Fulfilments implements AutoCloseable, ServiceFeature {
    /** What svc-warehouse consumes. */
    public static final List<String> TOPICS = List.of(Topics.ORDER_CONFIRMED, Topics.ORDER_CANCELLED);

    private final Jdbi jdbi;
    private final FulfilmentRepository repository = new FulfilmentRepository();
    private final FulfilmentService service;
    private final Packer packer;

    /**
     * @param packingTime     how long picking and packing takes (zero: at once, and no packer runs)
     * @param pickFailureRate share of picks that fail at random (0 to 1; for demos and tests), besides those of
     *                        products marked damaged
     */
    public Fulfilments(Jdbi jdbi, EventPublisher publisher, Clock clock, Duration packingTime, double pickFailureRate,
                       RandomGenerator random) {
        this.jdbi = jdbi;
        FulfilmentRepository.registerMappers(jdbi);
        this.service = new FulfilmentService(repository, clock, packingTime, pickFailureRate, random);
        this.packer = new Packer(jdbi, publisher, service, packingTime);
    }

    /** Starts the packer when picking takes time. */
    public Fulfilments start() {
        packer.start();
        return this;
    }

    @Override
    public List<String> topics() {
        return TOPICS;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.operatorOnly().get("/fulfilments/{order_id}", ctx -> {
            String orderId = ctx.pathParam("order_id");
            ctx.json(jdbi.withHandle(handle -> repository.find(handle, orderId))
                    .orElseThrow(() -> ProblemException.notFound("No fulfilment for order " + orderId)));
        });
        routes.operatorOnly().get("/damaged-products", ctx -> ctx.json(Map.of("damaged_products", jdbi.withHandle(repository::damaged))));
        routes.operatorOnly().put("/damaged-products/{product_id}", ctx -> {
            jdbi.useHandle(handle -> repository.markDamaged(handle, ctx.pathParam("product_id")));
            ctx.status(204);
        });
        routes.operatorOnly().delete("/damaged-products/{product_id}", ctx -> {
            jdbi.useHandle(handle -> repository.clearDamaged(handle, ctx.pathParam("product_id")));
            ctx.status(204);
        });
    }

    @Override
    public EventRouter events() {
        return EventRouter.builder()
                .onAll(OrderConfirmed.TYPE, OrderConfirmed.class, service::pick)
                // One fulfilment per order, inserted ON CONFLICT DO NOTHING, announced only when new: its own inbox.
                .deduplicatedById(OrderConfirmed.TYPE)
                .on(OrderCancelled.TYPE, OrderCancelled.class, (cancelled, event, context) -> service.cancel(cancelled, context.handle()))
                // A request is not a decision: picking goes on until svc-shipper decides.
                .ignore(OrderCancellationRequested.TYPE)
                .build();
    }

    @Override
    public void close() {
        packer.close();
    }
}
