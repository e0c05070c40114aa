-- A dead-lettered event sent back to its topic by `orderflow dlq replay` is let through once: its row goes from
-- DEAD_LETTERED to REPLAYED in the transaction that applies it, so a second replay is a duplicate.
-- NOT VALID, then VALIDATE: the wider rule is checked without blocking writers for the scan.
ALTER TABLE processed_events DROP CONSTRAINT processed_events_outcome_check;
ALTER TABLE processed_events ADD CONSTRAINT processed_events_outcome_check
    CHECK (outcome IN ('APPLIED', 'DEAD_LETTERED', 'REPLAYED')) NOT VALID;
ALTER TABLE processed_events VALIDATE CONSTRAINT processed_events_outcome_check;
