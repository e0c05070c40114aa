-- An order that a later event (OrderConfirmed, OrderRejected, ...) made known before its OrderReceived arrived: its
-- customer data and its RECEIVED step are provisional until the OrderReceived completes them and the customer is
-- told. A constant default: no table rewrite.
ALTER TABLE orders ADD COLUMN awaiting_received BOOLEAN NOT NULL DEFAULT false;
