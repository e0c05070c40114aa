-- The inbox: one row per consumed event, inserted in the same transaction as the event's effects. An event whose
-- id is already here was applied (or dead-lettered) before and is skipped, so effects happen exactly once even
-- when Kafka redelivers after a crash or a rebalance.
CREATE TABLE processed_events (
    event_id        TEXT PRIMARY KEY,
    topic           TEXT        NOT NULL,
    kafka_partition INT         NOT NULL,
    kafka_offset    BIGINT      NOT NULL,
    outcome         TEXT        NOT NULL CHECK (outcome IN ('APPLIED', 'DEAD_LETTERED')),
    processed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Rows older than the retention (longer than Kafka keeps records) are deleted by the consumer runtime.
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
