-- Stock: on_hand is what is on the shelves, reserved what confirmed orders hold until they ship or are cancelled.
CREATE TABLE products (
    product_id TEXT PRIMARY KEY,
    name       TEXT          NOT NULL,
    price      NUMERIC(14,2) NOT NULL CHECK (price > 0),
    on_hand    INT           NOT NULL CHECK (on_hand >= 0),
    reserved   INT           NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
    updated_at TIMESTAMPTZ   NOT NULL DEFAULT now()
);

-- What each order holds of each product, and what became of it.
CREATE TABLE reservations (
    order_id   TEXT NOT NULL,
    product_id TEXT NOT NULL REFERENCES products (product_id),
    quantity   INT  NOT NULL CHECK (quantity > 0),
    state      TEXT NOT NULL CHECK (state IN ('RESERVED', 'RELEASED', 'SHIPPED')),
    PRIMARY KEY (order_id, product_id)
);

-- One decision per order, whichever event brought it first: an order seen twice (re-sent by hand under another
-- key) is decided once, and a cancellation that overtakes its order blocks the reservation.
CREATE TABLE order_decisions (
    order_id   TEXT PRIMARY KEY,
    decision   TEXT        NOT NULL CHECK (decision IN ('RECEIVED', 'CONFIRMED', 'REJECTED', 'CANCELLED', 'SHIPPED')),
    decided_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
