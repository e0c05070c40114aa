package org.orderflow.inventory.stock;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The SQL of products, reservations and order decisions. Every method runs in the caller's transaction. */
final class StockRepository {
    private static final String PRODUCT_COLUMNS = "product_id, name, price, on_hand, reserved, on_hand - reserved AS available";

    /** Claims the order's decision; false when the order was decided (or cancelled) before. */
    boolean claimDecision(Handle handle, String orderId, String decision) {
        return handle.createUpdate("INSERT INTO order_decisions (order_id, decision) VALUES (:orderId, :decision) ON CONFLICT DO NOTHING")
                .bind("orderId", orderId).bind("decision", decision).execute() == 1;
    }

    Optional<String> lockDecision(Handle handle, String orderId) {
        return handle.createQuery("SELECT decision FROM order_decisions WHERE order_id = :orderId FOR UPDATE")
                .bind("orderId", orderId).mapTo(String.class).findOne();
    }

    void decide(Handle handle, String orderId, String decision) {
        handle.createUpdate("UPDATE order_decisions SET decision = :decision, decided_at = now() WHERE order_id = :orderId")
                .bind("orderId", orderId).bind("decision", decision).execute();
    }

    /** The products, locked in product-id order: concurrent orders lock in one order and cannot deadlock. */
    Map<String, ProductView> lockProducts(Handle handle, Collection<String> productIds) {
        return handle.createQuery("SELECT " + PRODUCT_COLUMNS + " FROM products WHERE product_id = ANY (:ids) ORDER BY product_id FOR UPDATE")
                .bindArray("ids", String.class, productIds)
                .map((rs, ctx) -> product(rs))
                .collectToMap(ProductView::productId, product -> product);
    }

    void reserve(Handle handle, String orderId, Map<String, Integer> quantities) {
        PreparedBatch products = handle.prepareBatch(
                "UPDATE products SET reserved = reserved + :quantity, updated_at = now() WHERE product_id = :productId");
        PreparedBatch reservations = handle.prepareBatch(
                "INSERT INTO reservations (order_id, product_id, quantity, state) VALUES (:orderId, :productId, :quantity, 'RESERVED')");
        quantities.forEach((productId, quantity) -> {
            products.bind("productId", productId).bind("quantity", quantity).add();
            reservations.bind("orderId", orderId).bind("productId", productId).bind("quantity", quantity).add();
        });
        products.execute();
        reservations.execute();
    }

    /**
     * Ends the order's reservations: RELEASED gives the stock back, SHIPPED takes it off the shelves. Only reservations
     * still RESERVED are touched, so a second release or shipment changes nothing. Returns the rows ended.
     */
    int endReservations(Handle handle, String orderId, String state) {
        String stock = state.equals("SHIPPED") ? "on_hand = p.on_hand - r.quantity, reserved = p.reserved - r.quantity"
                : "reserved = p.reserved - r.quantity";
        return handle.createUpdate("""
                        WITH ended AS (
                            UPDATE reservations SET state = :state
                            WHERE order_id = :orderId AND state = 'RESERVED'
                            RETURNING product_id, quantity)
                        UPDATE products p SET %s, updated_at = now()
                        FROM ended r WHERE p.product_id = r.product_id""".formatted(stock))
                .bind("orderId", orderId).bind("state", state).execute();
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

    private static ProductView product(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ProductView(rs.getString("product_id"), rs.getString("name"), rs.getBigDecimal("price"), rs.getInt("on_hand"),
                rs.getInt("reserved"), rs.getInt("available"));
    }
}
