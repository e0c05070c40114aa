-- A demo catalogue, so that `make up` can take orders at once. prod-789 is the product of the
-- kafka-console-producer example; sku-limited runs out quickly on purpose.
INSERT INTO products (product_id, name, price, on_hand) VALUES
    ('prod-789',     'Test Product',           19.99, 10000000),
    ('sku-keyboard', 'Mechanical keyboard',    89.00,  1000000),
    ('sku-mouse',    'Wireless mouse',         25.50,  1000000),
    ('sku-monitor',  '27-inch monitor',       279.00,   100000),
    ('sku-cable',    'USB-C cable',             9.99,  5000000),
    ('sku-limited',  'Limited edition print', 150.00,        3)
ON CONFLICT (product_id) DO NOTHING;
