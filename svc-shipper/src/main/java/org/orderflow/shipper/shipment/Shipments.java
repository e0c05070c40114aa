package org.orderflow.shipper.shipment;

import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.contract.Topics;
import org.orderflow.contract.events.OrderCancellationRequested;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderPickedAndPacked;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.service.ServiceFeature;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.ProblemException;

/**
 * The shipment feature's routes: HTTP and events, translated into calls of the {@link ShipmentService}, which
 * decides.
 */
public final class Shipments implements ServiceFeature {
    /** What svc-shipper consumes. */
    public static final List<String> TOPICS = List.of(Topics.ORDER_PICKED_AND_PACKED, Topics.ORDER_CANCELLED);

    private final Jdbi jdbi;
    private final ShipmentRepository repository = new ShipmentRepository();
    private final ShipmentService service;

    public Shipments(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        ShipmentRepository.registerMappers(jdbi);
        this.service = new ShipmentService(repository, new Carriers(), clock);
    }

    @Override
    public List<String> topics() {
        return TOPICS;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.operatorOnly().get("/shipments/{order_id}", ctx -> {
            String orderId = ctx.pathParam("order_id");
            ctx.json(jdbi.withHandle(handle -> repository.find(handle, orderId))
                    .orElseThrow(() -> ProblemException.notFound("No shipment for order " + orderId)));
        });
    }

    @Override
    public EventRouter events() {
        return EventRouter.builder()
                .onAll(OrderPickedAndPacked.TYPE, OrderPickedAndPacked.class, service::ship)
                // One shipment per order, inserted ON CONFLICT DO NOTHING, announced only when new: its own inbox.
                .deduplicatedById(OrderPickedAndPacked.TYPE)
                .on(OrderCancellationRequested.TYPE, OrderCancellationRequested.class,
                        (request, event, context) -> service.decide(request, context))
                .on(OrderCancelled.TYPE, OrderCancelled.class, (cancelled, event, context) -> service.recordCancelled(cancelled, context))
                .build();
    }
}
