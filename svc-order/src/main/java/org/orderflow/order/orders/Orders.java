package org.orderflow.order.orders;

import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.contract.Topics;
import org.orderflow.messaging.consumer.EventRouter;
import org.orderflow.contract.events.OrderCancellationRequested;
import org.orderflow.contract.events.OrderCancelled;
import org.orderflow.contract.events.OrderConfirmed;
import org.orderflow.contract.events.OrderPickedAndPacked;
import org.orderflow.contract.events.OrderReceived;
import org.orderflow.contract.events.OrderRejected;
import org.orderflow.contract.events.OrderShipped;
import org.orderflow.order.idempotency.IdempotentRequests;
import org.orderflow.outbox.NotifyListener;
import org.orderflow.service.ServiceFeature;
import org.orderflow.service.ServiceStart;
import org.orderflow.service.auth.Caller;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.Problem;
import org.orderflow.service.http.Problem.FieldError;
import org.orderflow.service.http.Input;
import org.orderflow.service.http.ProblemException;

/** The orders feature: its HTTP routes and the events it follows. */
public final class Orders implements ServiceFeature {
    /** What svc-order consumes. */
    public static final List<String> TOPICS = List.of(Topics.ORDER_RECEIVED, Topics.ORDER_CONFIRMED, Topics.ORDER_REJECTED,
            Topics.ORDER_PICKED_AND_PACKED, Topics.ORDER_SHIPPED, Topics.ORDER_CANCELLED);
    private static final int DEFAULT_PAGE = 20;
    private static final int MAX_PAGE = 100;
    private static final String EVENT_STREAM = "text/event-stream";

    private final Jdbi jdbi;
    private final OrderService service;
    private final OrderRepository repository = new OrderRepository();
    private final OrderViews views = new OrderViews();
    private final OrderWriter writer;
    private final String ownSource;
    private final LiveStatus live;

    /**
     * {@code orderWriters}: transactions writing placed orders at once (each carries the orders queued meanwhile);
     * {@code orderQueueLimit}: orders that may wait for a writer, beyond which a POST is refused with 503;
     * {@code maxLiveStreams}: GET /orders/{id}/events streams open at most. The business counters go to the wiring's
     * metrics ({@link OrderCounters}).
     */
    public Orders(ServiceStart.Wiring wiring, int orderWriters, int orderQueueLimit, int maxLiveStreams) {
        this.jdbi = wiring.jdbi();
        this.live = wiring.lifecycle().started("live status", new LiveStatus(jdbi, wiring.clock(), UUID.randomUUID().toString(), maxLiveStreams));
        wiring.lifecycle().started("order status listener", NotifyListener.on("order_status", wiring.connections())
                .threadName("order-status-listener").whenListening(live::catchUp).onNotify(live::changed).start());
        wiring.metrics().gauge("orderflow.live.streams", live, LiveStatus::openStreams);
        this.ownSource = wiring.publisher().source();
        OrderViews.registerMappers(jdbi);
        this.service = new OrderService(repository, views, wiring.publisher(), wiring.clock(), new OrderCounters(wiring.metrics()));
        this.writer = new OrderWriter(jdbi, service, orderWriters, orderQueueLimit);
    }

    @Override
    public List<String> topics() {
        return TOPICS;
    }

    @Override
    public void routes(ApiRoutes routes) {
        routes.post("/orders", this::place);
        routes.get("/orders", this::list);
        routes.get("/orders/{id}", this::find);
        routes.get("/orders/{id}/events", this::events);
        routes.post("/orders/{id}/cancel", this::cancel);
    }

    @Override
    public EventRouter events() {
        return EventRouter.builder()
                .on(OrderReceived.TYPE, OrderReceived.class, service::onReceived)
                // Our own order coming back: POST stored it, with its items, in the transaction that published it.
                .ignoreWhen(OrderReceived.TYPE, event -> event.source().equals(ownSource))
                .onAll(OrderConfirmed.TYPE, OrderConfirmed.class, (confirmed, context) -> service.advanceAll(context,
                        OrderStatus.CONFIRMED, confirmed.stream().map(c -> new OrderService.Step(c.value().orderId(),
                                c.value().customerId(), c.event(), c.value().items())).toList()))
                .on(OrderRejected.TYPE, OrderRejected.class, service::onRejected)
                .onAll(OrderPickedAndPacked.TYPE, OrderPickedAndPacked.class, (packed, context) -> service.advanceAll(context,
                        OrderStatus.PICKED_AND_PACKED, packed.stream().map(p -> new OrderService.Step(p.value().orderId(),
                                p.value().customerId(), p.event(), p.value().items())).toList()))
                .onAll(OrderShipped.TYPE, OrderShipped.class, (shipped, context) -> {
                    service.advanceAll(context, OrderStatus.SHIPPED, shipped.stream().map(s -> new OrderService.Step(
                            s.value().orderId(), s.value().customerId(), s.event(), List.of())).toList());
                    repository.recordShipments(context.handle(), shipped.stream().map(s -> new OrderRepository.Shipment(
                            s.value().orderId(), s.value().carrier(), s.value().trackingNumber(), s.value().estimatedDelivery())).toList());
                })
                .on(OrderCancelled.TYPE, OrderCancelled.class, service::onCancelled)
                // Our own request, on its way to svc-shipper: nothing to do until the answer.
                .ignore(OrderCancellationRequested.TYPE)
                .build();
    }

    /** 202 while svc-shipper decides; 200 when the order is already cancelled; 409 once shipped or rejected. */
    private void cancel(Context ctx) {
        String orderId = ctx.pathParam("id");
        Caller caller = ApiRoutes.caller(ctx);
        if (!caller.operator()) {
            ownOrder(caller, orderId);
        }
        String reason = "cancelled by the customer";
        if (!ctx.body().isBlank()) {
            CancelRequest request = ctx.bodyAsClass(CancelRequest.class);
            if (request != null && request.reason() != null && !request.reason().isBlank()) {
                List<FieldError> errors = new java.util.ArrayList<>();
                Input.text(errors, "reason", request.reason(), 500);
                if (!errors.isEmpty()) {
                    throw ProblemException.badRequest("The reason is not valid", errors);
                }
                reason = request.reason();
            }
        }
        String why = reason;
        OrderView.CancellationAnswer answer = jdbi.inTransaction(handle -> service.requestCancellation(handle, orderId, why));
        ctx.status(answer.status().equals("CANCELLED") ? 200 : 202).json(answer);
    }

    /** The optional body of POST /orders/{id}/cancel. */
    record CancelRequest(String reason) {
    }

    private void place(Context ctx) {
        PlaceOrderRequest request = forCaller(ApiRoutes.caller(ctx), Input.body(ctx, PlaceOrderRequest.class));
        OrderValidation.validate(request);
        Optional<IdempotentRequests.Claim> claim = Optional.ofNullable(ctx.header(IdempotentRequests.HEADER))
                .map(key -> IdempotentRequests.claimOf(key, ctx.body()));
        writer.place(request, claim).writeTo(ctx);
    }

    /** A customer places orders for itself: customer_id is its token's subject when omitted, and refused when another. */
    private static PlaceOrderRequest forCaller(Caller caller, PlaceOrderRequest request) {
        if (caller.operator()) {
            return request;
        }
        if (request.customerId() == null || request.customerId().isBlank()) {
            return new PlaceOrderRequest(caller.subject(), request.currency(), request.items());
        }
        if (!request.customerId().equals(caller.subject())) {
            throw ProblemException.forbidden("A customer places orders for itself only: customer_id is not the token's subject");
        }
        return request;
    }

    /**
     * The order's statuses as server-sent events, live until it is final (see {@link LiveStatus}). Javalin streams only
     * to a request whose Accept is exactly text/event-stream (as EventSource sends it) and answers anything else with an
     * empty 200, which a client would take for an order without statuses: that is a 406 problem instead.
     */
    private void events(Context ctx) throws Exception {
        String orderId = ctx.pathParam("id");
        ownOrder(ApiRoutes.caller(ctx), orderId);
        if (!EVENT_STREAM.equals(ctx.header("Accept"))) {
            throw new ProblemException(Problem.of(406, "Not acceptable", "GET /orders/{id}/events answers text/event-stream only:"
                    + " send the header Accept: text/event-stream (curl -N -H 'Accept: text/event-stream' ...)"));
        }
        live.ensureRoom();
        Set<String> seen = LiveStatus.seen(ctx.header("Last-Event-ID"));
        new SseHandler(client -> live.open(orderId, client, seen)).handle(ctx);
    }

    private void find(Context ctx) {
        String orderId = ctx.pathParam("id");
        ctx.json(ownOrder(ApiRoutes.caller(ctx), orderId));
    }

    /** The order, if the caller may see it; another customer's order is "not found", so that ids cannot be probed. */
    private OrderView ownOrder(Caller caller, String orderId) {
        return jdbi.withHandle(handle -> views.find(handle, orderId)).filter(order -> caller.mayActFor(order.customerId()))
                .orElseThrow(() -> ProblemException.notFound("No order " + orderId));
    }

    private void list(Context ctx) {
        Optional<String> customerFilter = ApiRoutes.listedCustomer(ctx);
        Optional<OrderStatus> status = statusParam(ctx.queryParam("status"));
        int limit = Input.queryNumber(ctx, "limit", DEFAULT_PAGE, MAX_PAGE);
        Optional<Long> before = cursorParam(ctx.queryParam("cursor"));
        List<OrderViews.Row> rows = jdbi.withHandle(handle -> views.list(handle, customerFilter, status, before, limit + 1));
        List<OrderViews.Row> page = rows.subList(0, Math.min(limit, rows.size()));
        String next = rows.size() > limit ? encodeCursor(page.get(page.size() - 1).seq()) : null;
        ctx.json(new OrderView.Page(page.stream().map(OrderViews.Row::summary).toList(), next));
    }

    private static Optional<OrderStatus> statusParam(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OrderStatus.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw invalidQuery("status", "must be one of " + Arrays.toString(OrderStatus.values()));
        }
    }

    private static Optional<Long> cursorParam(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(new String(Base64.getUrlDecoder().decode(value.trim()), StandardCharsets.UTF_8)
                    .replaceFirst("^seq:", "")));
        } catch (IllegalArgumentException e) {
            throw invalidQuery("cursor", "is not a cursor this API returned");
        }
    }

    private static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("seq:" + seq).getBytes(StandardCharsets.UTF_8));
    }

    private static ProblemException invalidQuery(String parameter, String message) {
        return ProblemException.badRequest("Invalid query parameter '" + parameter + "'", List.of(new FieldError(parameter, message)));
    }
}
