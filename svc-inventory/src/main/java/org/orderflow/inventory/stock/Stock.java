package org.orderflow.inventory.stock;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.contract.Topics;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.contract.events.OrderCancellationRequested;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderReceived;
import org.orderflow.contract.events.OrderShipped;
import org.orderflow.service.ServiceFeature;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.Input;
import org.orderflow.service.http.ProblemException;

/** The stock feature: products over HTTP, reservations driven by the pipeline's events. */
public final class Stock implements ServiceFeature {
    /** What svc-inventory consumes as a step of the pipeline: orders to reserve, and cancellations to release. */
    public static final List<String> TOPICS = List.of(Topics.ORDER_RECEIVED, Topics.ORDER_CANCELLED);
    /**
     * What svc-inventory consumes apart, in batches: shipments, whose stock leaves the shelves, which nothing waits for.
     * In the pipeline's consumer, at 100 orders/s, they cost a transaction each and held up the orders being reserved.
     */
    public static final List<String> FOLLOW_UP_TOPICS = List.of(Topics.ORDER_SHIPPED);

    private final Jdbi jdbi;
    private final StockRepository repository = new StockRepository();
    private final StockService service;

    /** {@code metrics}: where the business counters go ({@link StockCounters}). */
    public Stock(Jdbi jdbi, Clock clock, MeterRegistry metrics) {
        this.jdbi = jdbi;
        this.service = new StockService(repository, clock, new StockCounters(metrics));
    }

    @Override
    public List<String> topics() {
        return TOPICS;
    }

    @Override
    public List<String> followUpTopics() {
        return FOLLOW_UP_TOPICS;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.get("/products", ctx -> ctx.json(Map.of("products", jdbi.withHandle(repository::all))));
        routes.get("/products/{id}", this::find);
        routes.operatorOnly().put("/products/{id}", this::put);
    }

    @Override
    public EventRouter events() {
        return EventRouter.builder()
                .onAll(OrderReceived.TYPE, OrderReceived.class, service::onReceived)
                .onAll(OrderShipped.TYPE, OrderShipped.class, service::onShipped)
                // An order's decision is claimed ON CONFLICT DO NOTHING, and reservations end only while RESERVED:
                // applied again, either does nothing, so the decisions table is their inbox.
                .deduplicatedById(OrderReceived.TYPE)
                .deduplicatedById(OrderShipped.TYPE)
                .on(OrderCancelled.TYPE, OrderCancelled.class, (cancelled, event, context) -> service.onCancelled(cancelled, context))
                // A request is not a decision: stock stays reserved until svc-shipper (or svc-warehouse) decides.
                .ignore(OrderCancellationRequested.TYPE)
                .build();
    }

    private void find(Context ctx) {
        String productId = ctx.pathParam("id");
        ctx.json(jdbi.withHandle(handle -> repository.find(handle, productId))
                .orElseThrow(() -> ProblemException.notFound("No product " + productId)));
    }

    private void put(Context ctx) {
        String productId = ctx.pathParam("id");
        PutProductRequest request = Input.body(ctx, PutProductRequest.class);
        boolean existed = jdbi.withHandle(handle -> repository.find(handle, productId)).isPresent();
        ctx.status(existed ? 200 : 201).json(jdbi.inTransaction(handle -> service.put(handle, productId, request)));
    }
}
