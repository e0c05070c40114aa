-- The trace of the OrderConfirmed that started a pick (its apply span's W3C traceparent), so that the packing timer
-- publishes OrderPickedAndPacked in the order's trace. Null for rows picked before, which start a trace of their own.
ALTER TABLE fulfilments ADD COLUMN traceparent TEXT;
