-- Orders followed live (GET /orders/{id}/events): one row per order and svc-order instance that has a stream of it
-- open, kept until a time the instance moves on while the stream lasts (a crashed instance's rows lapse). UNLOGGED:
-- a crash of PostgreSQL loses them, and the streams they stood for with it.
CREATE UNLOGGED TABLE watched_orders (
    order_id TEXT        NOT NULL,
    watcher  TEXT        NOT NULL,
    until    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (order_id, watcher)
);

-- A status change of a watched order is NOTIFYed on channel order_status, its payload the order id; of any other
-- order, nothing. A NOTIFYing commit takes a database-wide lock until its WAL is flushed (see lib-outbox's
-- RelayWakeup), which every status change would pay if all were NOTIFYed. Per statement, with the rows it wrote.
CREATE FUNCTION notify_watched_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM watched_orders) THEN
        PERFORM pg_notify('order_status', watched.order_id)
        FROM (SELECT DISTINCT c.order_id FROM changed c JOIN watched_orders w ON w.order_id = c.order_id) watched;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER order_status_inserted AFTER INSERT ON order_status_history REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_watched_status();
CREATE TRIGGER order_status_updated AFTER UPDATE ON order_status_history REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION notify_watched_status();
