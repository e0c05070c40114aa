-- The benchmark handler's effect: one row per applied event.
CREATE TABLE bench_applied (order_id TEXT NOT NULL, amount INT NOT NULL);
