-- Orders cancelled before they shipped: svc-shipper decides between shipping and cancelling, one order at a time,
-- so an order is never both.
CREATE TABLE cancellations (
    order_id     TEXT PRIMARY KEY,
    reason       TEXT        NOT NULL,
    cancelled_by TEXT        NOT NULL,
    cancelled_at TIMESTAMPTZ NOT NULL
);
