-- One shipment per packed order, with a carrier and a tracking number no other shipment has.
CREATE TABLE shipments (
    order_id           TEXT PRIMARY KEY,
    customer_id        TEXT        NOT NULL,
    carrier            TEXT        NOT NULL,
    tracking_number    TEXT        NOT NULL UNIQUE,
    estimated_delivery DATE        NOT NULL,
    shipped_at         TIMESTAMPTZ NOT NULL
);
