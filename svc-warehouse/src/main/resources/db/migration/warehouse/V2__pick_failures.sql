-- Products found damaged on the shelf: picking an order that contains one fails (and cancels the order).
CREATE TABLE damaged_products (
    product_id TEXT PRIMARY KEY,
    marked_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
