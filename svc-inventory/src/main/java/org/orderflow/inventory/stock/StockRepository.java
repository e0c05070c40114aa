package org.orderflow.inventory.stock;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.orderflow.messaging.sql.SqlArrays;

/** The SQL of products, reservations and order decisions. Every method runs in the caller's transaction. */
final class StockRepository {
    private static final String PRODUCT_COLUMNS = "product_id, name, price, on_hand, reserved, on_hand - reserved AS available";

    /** Claims the order's decision; false when the order was decided (or cancelled) before. */
    boolean claimDecision(Handle handle, String orderId, Decision decision) {
        return !claimDecisions(handle, List.of(orderId), decision).isEmpty();
    }

    /** Claims the decisions of orders in one statement; returns those not decided (nor cancelled) before. */
    Set<String> claimDecisions(Handle handle, List<String> orderIds, Decision decision) {
        return new HashSet<>(handle.createQuery("""
                        INSERT INTO order_decisions (order_id, decision) SELECT unnest(CAST(:orderIds AS text[])), :decision
                        ON CONFLICT DO NOTHING RETURNING order_id""")
                .bind("orderIds", SqlArrays.text(orderIds)).bind("decision", decision.name()).mapTo(String.class).list());
    }

    Optional<Decision> lockDecision(Handle handle, String orderId) {
        return handle.createQuery("SELECT decision FROM order_decisions WHERE order_id = :orderId FOR UPDATE")
                .bind("orderId", orderId).mapTo(String.class).findOne().map(Decision::valueOf);
    }

    void decide(Handle handle, String orderId, Decision decision) {
        decideAll(handle, Map.of(orderId, decision));
    }

    /**
     * Sets the decisions of orders that have one, in one statement. {@code order_id = ANY} lets the planner find them
     * by primary key: joined to unnest alone, it sometimes read the whole table.
     */
    void decideAll(Handle handle, Map<String, Decision> decisionByOrder) {
        if (decisionByOrder.isEmpty()) {
            return;
        }
        handle.createUpdate("""
                        UPDATE order_decisions d SET decision = v.decision, decided_at = now()
                        FROM unnest(CAST(:orderIds AS text[]), CAST(:decisions AS text[])) AS v (order_id, decision)
                        WHERE d.order_id = v.order_id AND d.order_id = ANY (CAST(:orderIds AS text[]))""")
                .bind("orderIds", SqlArrays.text(List.copyOf(decisionByOrder.keySet())))
                .bind("decisions", SqlArrays.text(decisionByOrder.values().stream().map(Decision::name).toList()))
                .execute();
    }

    /** The products, locked in product-id order: concurrent orders lock in one order and cannot deadlock. */
    Map<String, ProductView> lockProducts(Handle handle, Collection<String> productIds) {
        return handle.createQuery("SELECT " + PRODUCT_COLUMNS + " FROM products WHERE product_id = ANY (:ids) ORDER BY product_id FOR UPDATE")
                .bind("ids", SqlArrays.text(productIds))
                .map((rs, ctx) -> product(rs))
                .collectToMap(ProductView::productId, product -> product);
    }

    /** Reserves stock for orders: one statement for the products (quantities added up), one for the reservations. */
    void reserveAll(Handle handle, List<Reservation> reservations) {
        if (reservations.isEmpty()) {
            return;
        }
        List<String> productIds = reservations.stream().map(Reservation::productId).toList();
        List<Integer> quantities = reservations.stream().map(Reservation::quantity).toList();
        handle.createUpdate("""
                        UPDATE products p SET reserved = p.reserved + r.quantity, updated_at = now()
                        FROM (SELECT product_id, sum(quantity) AS quantity
                              FROM unnest(CAST(:productIds AS text[]), CAST(:quantities AS int[])) AS v (product_id, quantity)
                              GROUP BY product_id) r
                        WHERE p.product_id = r.product_id""")
                .bind("productIds", SqlArrays.text(productIds)).bind("quantities", SqlArrays.integers(quantities)).execute();
        handle.createUpdate("""
                        INSERT INTO reservations (order_id, product_id, quantity, state)
                        SELECT order_id, product_id, quantity, 'RESERVED'
                        FROM unnest(CAST(:orderIds AS text[]), CAST(:productIds AS text[]), CAST(:quantities AS int[]))
                             AS v (order_id, product_id, quantity)""")
                .bind("orderIds", SqlArrays.text(reservations.stream().map(Reservation::orderId).toList()))
                .bind("productIds", SqlArrays.text(productIds)).bind("quantities", SqlArrays.integers(quantities)).execute();
    }

    /**
     * Ends the orders' reservations: RELEASED gives the stock back, SHIPPED takes it off the shelves. Only reservations
     * still RESERVED are touched, so a second release or shipment changes nothing. Returns the products changed.
     * The products are locked in product-id order first, as {@link #lockProducts} does: shipments are applied by a
     * consumer of their own, concurrently with the orders being reserved, and two transactions that lock the same
     * products in one order cannot deadlock.
     */
    int endReservations(Handle handle, List<String> orderIds, ReservationEnd end) {
        String stock = end == ReservationEnd.SHIPPED ? "on_hand = p.on_hand - r.quantity, reserved = p.reserved - r.quantity"
                : "reserved = p.reserved - r.quantity";
        return handle.createUpdate("""
                        WITH ended AS (
                            UPDATE reservations SET state = :state
                            WHERE order_id = ANY (CAST(:orderIds AS text[])) AND state = 'RESERVED'
                            RETURNING product_id, quantity),
                        locked AS (
                            SELECT product_id FROM products WHERE product_id IN (SELECT product_id FROM ended)
                            ORDER BY product_id FOR UPDATE)
                        UPDATE products p SET %s, updated_at = now()
                        FROM (SELECT product_id, sum(quantity) AS quantity FROM ended GROUP BY product_id) r
                        WHERE p.product_id = r.product_id AND p.product_id IN (SELECT product_id FROM locked)""".formatted(stock))
                .bind("orderIds", SqlArrays.text(orderIds)).bind("state", end.name()).execute();
    }

    List<ProductView> all(Handle handle) {
        return handle.createQuery("SELECT " + PRODUCT_COLUMNS + " FROM products ORDER BY product_id").map((rs, ctx) -> product(rs)).list();
    }

    Optional<ProductView> find(Handle handle, String productId) {
        return handle.createQuery("SELECT " + PRODUCT_COLUMNS + " FROM products WHERE product_id = :productId")
                .bind("productId", productId).map((rs, ctx) -> product(rs)).findOne();
    }

    Optional<ProductView> lock(Handle handle, String productId) {
        return handle.createQuery("SELECT " + PRODUCT_COLUMNS + " FROM products WHERE product_id = :productId FOR UPDATE")
                .bind("productId", productId).map((rs, ctx) -> product(rs)).findOne();
    }

    void insert(Handle handle, String productId, String name, BigDecimal price, int onHand) {
        handle.createUpdate("INSERT INTO products (product_id, name, price, on_hand) VALUES (:productId, :name, :price, :onHand)")
                .bind("productId", productId).bind("name", name).bind("price", price).bind("onHand", onHand).execute();
    }

    void update(Handle handle, String productId, String name, BigDecimal price, int onHand) {
        handle.createUpdate("UPDATE products SET name = :name, price = :price, on_hand = :onHand, updated_at = now() WHERE product_id = :productId")
                .bind("productId", productId).bind("name", name).bind("price", price).bind("onHand", onHand).execute();
    }

    /** Stock one order holds of one product. */
    record Reservation(String orderId, String productId, int quantity) {
    }

    private static ProductView product(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ProductView(rs.getString("product_id"), rs.getString("name"), rs.getBigDecimal("price"), rs.getInt("on_hand"),
                rs.getInt("reserved"), rs.getInt("available"));
    }
}
