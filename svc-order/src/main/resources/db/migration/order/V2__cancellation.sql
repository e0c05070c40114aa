-- A customer's cancellation request: recorded at once, decided by svc-shipper (in time, or too late).
ALTER TABLE orders ADD COLUMN cancel_requested_at TIMESTAMPTZ, ADD COLUMN cancel_reason TEXT;
