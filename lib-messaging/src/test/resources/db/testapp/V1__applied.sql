-- What the test handler does to the database: one row per application of an event.
CREATE TABLE applied (
    event_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    amount   INT  NOT NULL
);
