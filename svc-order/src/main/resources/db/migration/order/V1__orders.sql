-- Orders as svc-order knows them: placed over HTTP, or learnt from OrderReceived (typed into Kafka), and
-- followed through the pipeline's events.
CREATE TABLE orders (
    order_id           TEXT PRIMARY KEY,
    -- Insertion order, for keyset pagination (newest first) that stays stable while orders arrive.
    seq                BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    customer_id        TEXT          NOT NULL,
    status             TEXT          NOT NULL,
    total              NUMERIC(14,2) NOT NULL,
    currency           TEXT          NOT NULL,
    source             TEXT          NOT NULL CHECK (source IN ('HTTP', 'KAFKA')),
    carrier            TEXT,
    tracking_number    TEXT,
    estimated_delivery DATE,
    created_at         TIMESTAMPTZ   NOT NULL,
    updated_at         TIMESTAMPTZ   NOT NULL
);
CREATE INDEX orders_by_customer ON orders (customer_id, seq DESC);
CREATE INDEX orders_by_status ON orders (status, seq DESC);

CREATE TABLE order_items (
    order_id   TEXT          NOT NULL REFERENCES orders (order_id),
    line       INT           NOT NULL,
    product_id TEXT          NOT NULL,
    name       TEXT,
    quantity   INT           NOT NULL CHECK (quantity > 0),
    price      NUMERIC(14,2),
    PRIMARY KEY (order_id, line)
);

-- Every status change, with its time and why (who rejected or cancelled, the reasons).
CREATE TABLE order_status_history (
    order_id   TEXT        NOT NULL REFERENCES orders (order_id),
    status     TEXT        NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by TEXT        NOT NULL,
    reason     TEXT
);
CREATE INDEX order_status_history_by_order ON order_status_history (order_id, changed_at);

-- Idempotency-Key (IETF httpapi draft): the first request's fingerprint and, once done, its response.
CREATE TABLE idempotency_keys (
    idempotency_key TEXT PRIMARY KEY,
    fingerprint     TEXT        NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN ('IN_FLIGHT', 'DONE')),
    response_status INT,
    response_body   TEXT,
    location        TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
