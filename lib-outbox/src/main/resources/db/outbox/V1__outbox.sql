-- The transactional outbox: every event a service publishes is first a row here, written in the same
-- transaction as the business change it reports. The relay publishes rows in id order and deletes them once
-- Kafka has acknowledged them, so the table holds only what is still on its way.
CREATE TABLE outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       TEXT        NOT NULL,
    message_key TEXT,                                   -- null only for dead letters of records that had none
    headers     JSONB       NOT NULL DEFAULT '{}'::jsonb, -- header name -> UTF-8 value
    payload     BYTEA       NOT NULL,                   -- the record value exactly (JSON, or a dead letter's bytes)
    created_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

-- A queue table: rows are inserted and deleted all day. Vacuum it after a thousand deletions rather than after a
-- fifth of the table, so dead rows never slow the relay's index scan.
ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 1000,
                        autovacuum_vacuum_insert_scale_factor = 0.0, autovacuum_vacuum_insert_threshold = 1000);

-- Wake the relay at commit. One notification per statement (not per row), and PostgreSQL folds identical
-- notifications of one transaction into one.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
