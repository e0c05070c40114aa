-- One fulfilment per confirmed order: picked, then packed (at once, or after the configured packing time).
CREATE TABLE fulfilments (
    order_id    TEXT PRIMARY KEY,
    customer_id TEXT        NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('PICKING', 'PACKED', 'CANCELLED', 'FAILED')),
    items       JSONB       NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    packed_at   TIMESTAMPTZ,
    reason      TEXT
);
-- The packer's queue: orders still being picked, by when they are due.
CREATE INDEX fulfilments_due ON fulfilments (due_at) WHERE status = 'PICKING';
