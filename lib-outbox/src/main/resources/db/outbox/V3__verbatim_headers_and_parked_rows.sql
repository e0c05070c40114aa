-- Headers kept byte for byte: a dead letter carries the original record's headers, which may hold any bytes (NUL,
-- binary), and JSONB text cannot hold NUL. An ordered array of [name, value] pairs, both base64 (value null for a
-- header without one); the relay sends them before the text headers. Null for the system's own events.
ALTER TABLE outbox ADD COLUMN verbatim_headers JSONB;

-- Rows Kafka refused for a reason retrying cannot fix (record too large, invalid or unauthorised topic): moved here
-- by the relay, with the error, so that the rows behind them are published. An operator retries (back to the outbox,
-- at its tail) or drops them: `orderflow outbox parked list|retry|drop`.
CREATE TABLE outbox_parked (
    id               BIGINT PRIMARY KEY,   -- the outbox row's id
    topic            TEXT        NOT NULL,
    message_key      TEXT,
    headers          JSONB       NOT NULL,
    verbatim_headers JSONB,
    payload          BYTEA       NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL, -- when the row was appended to the outbox
    parked_at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    attempts         INT         NOT NULL,
    error            TEXT        NOT NULL
);
