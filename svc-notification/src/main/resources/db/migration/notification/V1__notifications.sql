-- Every notification sent, one per source event (its id is the Notification event's id).
CREATE TABLE notifications (
    notification_id TEXT PRIMARY KEY,
    order_id        TEXT        NOT NULL,
    customer_id     TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    message         TEXT        NOT NULL,
    channel         TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ NOT NULL,
    seq             BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX notifications_by_order ON notifications (order_id, seq);
CREATE INDEX notifications_by_customer ON notifications (customer_id, seq);
