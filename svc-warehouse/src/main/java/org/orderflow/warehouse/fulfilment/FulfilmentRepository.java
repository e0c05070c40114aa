package org.orderflow.warehouse.fulfilment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.messaging.Json;
import org.orderflow.contract.events.LineItem;
import org.orderflow.contract.events.OrderConfirmed;
import org.orderflow.messaging.sql.SqlArrays;

/**
 * The SQL of fulfilments and damaged products. Every method runs in the caller's transaction; rows are mapped by the
 * mappers {@link #registerMappers} registers once with the service's Jdbi.
 */
class FulfilmentRepository { // not final: a test steps in between its statements

    static void registerMappers(Jdbi jdbi) {
        jdbi.registerRowMapper(FulfilmentView.class, (rs, ctx) -> new FulfilmentView(rs.getString("order_id"), rs.getString("customer_id"),
                FulfilmentStatus.valueOf(rs.getString("status")), tree(rs.getString("items")), instant(rs, "created_at"),
                instant(rs, "packed_at"), rs.getString("reason")));
        jdbi.registerRowMapper(Due.class, (rs, ctx) -> new Due(rs.getString("order_id"), rs.getString("customer_id"),
                items(rs.getString("items")), Optional.ofNullable(rs.getString("traceparent"))));
    }

    /** New fulfilments as {@code fulfilments} has them, in one statement; returns the orders that had none yet. */
    Set<String> insertAll(Handle handle, Collection<NewFulfilment> fulfilments) {
        return new HashSet<>(handle.createQuery("""
                        INSERT INTO fulfilments (order_id, customer_id, status, items, due_at, created_at, packed_at, reason, traceparent)
                        SELECT * FROM unnest(CAST(:orderIds AS text[]), CAST(:customerIds AS text[]), CAST(:statuses AS text[]),
                                             CAST(:items AS jsonb[]), CAST(:dueAts AS timestamptz[]), CAST(:createdAts AS timestamptz[]),
                                             CAST(:packedAts AS timestamptz[]), CAST(:reasons AS text[]), CAST(:traceparents AS text[]))
                        ON CONFLICT DO NOTHING
                        RETURNING order_id""")
                .bind("orderIds", SqlArrays.text(fulfilments.stream().map(f -> f.order().orderId()).toList()))
                .bind("customerIds", SqlArrays.text(fulfilments.stream().map(f -> f.order().customerId()).toList()))
                .bind("statuses", SqlArrays.text(fulfilments.stream().map(f -> f.status().name()).toList()))
                .bind("items", SqlArrays.text(fulfilments.stream().map(f -> json(f.order().items())).toList()))
                .bind("dueAts", SqlArrays.text(fulfilments.stream().map(f -> f.dueAt().toString()).toList()))
                .bind("createdAts", SqlArrays.text(fulfilments.stream().map(f -> f.createdAt().toString()).toList()))
                .bind("packedAts", SqlArrays.text(fulfilments.stream().map(f -> f.packedAt() == null ? null : f.packedAt().toString()).toList()))
                .bind("reasons", SqlArrays.text(fulfilments.stream().map(NewFulfilment::reason).toList()))
                .bind("traceparents", SqlArrays.text(fulfilments.stream().map(f -> f.traceparent().orElse(null)).toList()))
                .mapTo(String.class)
                .list());
    }

    /** Fulfilments due for packing, locked; those another packer holds are skipped. */
    List<Due> lockDue(Handle handle, Instant now, int limit) {
        return handle.createQuery("""
                        SELECT order_id, customer_id, items::text AS items, traceparent FROM fulfilments
                        WHERE status = 'PICKING' AND due_at <= :now ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED""")
                .bind("now", now).bind("limit", limit)
                .mapTo(Due.class)
                .list();
    }

    void markPacked(Handle handle, List<String> orderIds, Instant now) {
        handle.createUpdate("UPDATE fulfilments SET status = 'PACKED', packed_at = :now WHERE order_id = ANY (:orderIds)")
                .bind("orderIds", SqlArrays.text(orderIds)).bind("now", now).execute();
    }

    /**
     * Stops (PICKING) or undoes (PACKED) the fulfilment of a cancelled order; for an order not seen yet, records it
     * cancelled, so that its OrderConfirmed, when it comes, is not picked. Returns the status it had, if any.
     */
    Optional<FulfilmentStatus> cancel(Handle handle, String orderId, String customerId, String reason, Instant now) {
        Optional<FulfilmentStatus> before = lockStatus(handle, orderId);
        if (before.isEmpty()) {
            if (insertCancelled(handle, orderId, customerId, reason, now)) {
                return before;
            }
            // Its OrderConfirmed's consumer stored the fulfilment first, in a transaction the lock could not see yet:
            // the insert waited for it. That fulfilment is the one to stop.
            before = lockStatus(handle, orderId);
        }
        if (before.get() == FulfilmentStatus.PICKING || before.get() == FulfilmentStatus.PACKED) {
            handle.createUpdate("UPDATE fulfilments SET status = 'CANCELLED', reason = :reason WHERE order_id = :orderId")
                    .bind("orderId", orderId).bind("reason", reason).execute();
        }
        return before;
    }

    Optional<FulfilmentStatus> lockStatus(Handle handle, String orderId) {
        return handle.createQuery("SELECT status FROM fulfilments WHERE order_id = :orderId FOR UPDATE")
                .bind("orderId", orderId).mapTo(String.class).findOne().map(FulfilmentStatus::valueOf);
    }

    private boolean insertCancelled(Handle handle, String orderId, String customerId, String reason, Instant now) {
        return handle.createUpdate("""
                        INSERT INTO fulfilments (order_id, customer_id, status, items, due_at, created_at, reason)
                        VALUES (:orderId, :customerId, 'CANCELLED', '[]'::jsonb, :now, :now, :reason) ON CONFLICT DO NOTHING""")
                .bind("orderId", orderId).bind("customerId", customerId).bind("now", now).bind("reason", reason).execute() == 1;
    }

    /** Those of the products that are marked damaged. */
    Set<String> damagedAmong(Handle handle, Collection<String> productIds) {
        return new TreeSet<>(handle.createQuery("SELECT product_id FROM damaged_products WHERE product_id = ANY (:ids)")
                .bind("ids", SqlArrays.text(productIds)).mapTo(String.class).list());
    }

    void markDamaged(Handle handle, String productId) {
        handle.createUpdate("INSERT INTO damaged_products (product_id) VALUES (:productId) ON CONFLICT DO NOTHING")
                .bind("productId", productId).execute();
    }

    void clearDamaged(Handle handle, String productId) {
        handle.createUpdate("DELETE FROM damaged_products WHERE product_id = :productId").bind("productId", productId).execute();
    }

    List<String> damaged(Handle handle) {
        return handle.createQuery("SELECT product_id FROM damaged_products ORDER BY product_id").mapTo(String.class).list();
    }

    Optional<FulfilmentView> find(Handle handle, String orderId) {
        return handle.createQuery("""
                        SELECT order_id, customer_id, status, items::text AS items, created_at, packed_at, reason FROM fulfilments
                        WHERE order_id = :orderId""")
                .bind("orderId", orderId)
                .mapTo(FulfilmentView.class)
                .findOne();
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable items: " + json, e);
        }
    }

    private static String json(List<LineItem> items) {
        try {
            return Json.mapper().writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise items", e);
        }
    }

    private static List<LineItem> items(String json) {
        try {
            return List.of(Json.mapper().readValue(json, LineItem[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable items: " + json, e);
        }
    }

    /**
     * A confirmed order's fulfilment as picking leaves it: PICKING until {@code dueAt}, PACKED at once (packing time
     * 0), or FAILED with why ({@code failure}); {@code traceparent}: the order's trace, for the packing timer to continue.
     */
    record NewFulfilment(OrderConfirmed order, FulfilmentStatus status, Instant createdAt, Instant dueAt, Instant packedAt, String failure,
                         Optional<String> traceparent) {
        static NewFulfilment picking(OrderConfirmed order, Instant now, Instant dueAt, Optional<String> traceparent) {
            return new NewFulfilment(order, FulfilmentStatus.PICKING, now, dueAt, null, null, traceparent);
        }

        static NewFulfilment packed(OrderConfirmed order, Instant now) {
            return new NewFulfilment(order, FulfilmentStatus.PACKED, now, now, now, null, Optional.empty());
        }

        static NewFulfilment failed(OrderConfirmed order, Instant now, String failure) {
            return new NewFulfilment(order, FulfilmentStatus.FAILED, now, now, null, failure, Optional.empty());
        }

        /** What the row's reason says: why the pick failed, after {@link FulfilmentService#PICK_FAILED}. */
        String reason() {
            return failure == null ? null : FulfilmentService.PICK_FAILED + ": " + failure;
        }
    }

    /** A fulfilment ready to be packed, and the trace its order travels in. */
    record Due(String orderId, String customerId, List<LineItem> items, Optional<String> traceparent) {
    }
}
