-- Orders that a shop or ERP pushes in (orders/), and the customer value figures they keep up to
-- date. Money is integer minor units of the order's ISO 4217 currency; the base_ columns are the
-- same amounts in the workspace's base currency (workspace_settings 'base_currency'), which the
-- value figures add up.

-- Settings of one workspace that its admins edit (base_currency, ...): one row per key.
CREATE TABLE workspace_settings (
    tenant_id    {{bigint}} NOT NULL REFERENCES tenants (id),
    setting_key  TEXT NOT NULL,
    value        TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, setting_key)
);

CREATE TABLE orders (
    id               {{scoped_id}},
    tenant_id        {{bigint}} NOT NULL REFERENCES tenants (id),
    number           {{text_c}} NOT NULL,          -- the shop's order number: unique in the workspace
    -- NULL: a guest order, attached to the customer who later has customer_email
    customer_id      {{bigint}} {{sqlite: REFERENCES customers (id)}},
    customer_email   {{text_c}} NOT NULL DEFAULT '', -- lower-case; '' none
    currency         TEXT NOT NULL,                -- ISO 4217
    exchange_rate    TEXT,                         -- decimal text: one unit of currency in the base currency
    -- pending, paid, fulfilled, cancelled, refunded, partially_refunded
    status           TEXT NOT NULL,
    subtotal         {{bigint}} NOT NULL,          -- the lines: quantity x unit_price - discount
    discount         {{bigint}} NOT NULL DEFAULT 0,
    tax              {{bigint}} NOT NULL DEFAULT 0,
    shipping         {{bigint}} NOT NULL DEFAULT 0,
    total            {{bigint}} NOT NULL,          -- subtotal - discount + tax + shipping
    refunded_amount  {{bigint}} NOT NULL DEFAULT 0,
    base_total       {{bigint}} NOT NULL,          -- total in the base currency
    base_refunded    {{bigint}} NOT NULL DEFAULT 0,
    counted          INTEGER NOT NULL DEFAULT 0,   -- 1: in its customer's value figures
    placed_at        {{text_c}} NOT NULL,
    paid_at          TEXT,                         -- when it first became paid (or later)
    fulfilled_at     TEXT,                         -- when it first became fulfilled
    version          INTEGER NOT NULL DEFAULT 1,
    created_by       {{bigint}},
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
-- sqlite:
CREATE UNIQUE INDEX orders_tenant_id ON orders (tenant_id, id);
-- postgres:
ALTER TABLE orders ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE orders ADD FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id);
-- both
CREATE UNIQUE INDEX orders_number ON orders (tenant_id, number);
-- A customer's orders, newest first (purchase history, /customers/{id}/orders, first/last order).
CREATE INDEX orders_by_customer ON orders (tenant_id, customer_id, placed_at, id);
-- The workspace's orders by time (GET /api/orders).
CREATE INDEX orders_by_placed ON orders (tenant_id, placed_at, id);
-- Guest orders waiting for their customer.
CREATE INDEX orders_guests ON orders (tenant_id, customer_email) WHERE customer_id IS NULL;

CREATE TABLE order_lines (
    tenant_id   {{bigint}} NOT NULL REFERENCES tenants (id),
    order_id    {{bigint}} NOT NULL {{sqlite: REFERENCES orders (id)}},
    position    INTEGER NOT NULL,                 -- 0, 1, ... in the order sent
    sku         TEXT,
    name        TEXT NOT NULL,
    quantity    {{bigint}} NOT NULL,
    unit_price  {{bigint}} NOT NULL,
    tax         {{bigint}} NOT NULL DEFAULT 0,
    discount    {{bigint}} NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, order_id, position)
) {{sqlite: WITHOUT ROWID}};
-- postgres:
ALTER TABLE order_lines ADD FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id);
-- both

-- A customer's value, kept by orders/ in the transaction of each order change (never by a scan):
-- counted orders (paid, fulfilled, partially refunded, refunded) in the base currency.
ALTER TABLE customers ADD COLUMN order_count {{bigint}} NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN lifetime_value {{bigint}} NOT NULL DEFAULT 0; -- net of refunds
ALTER TABLE customers ADD COLUMN refunded_amount {{bigint}} NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN first_order_at {{text_c}};
ALTER TABLE customers ADD COLUMN last_order_at {{text_c}};
-- The list sorts by value figures; live customers only, as the other sorts. Customers without an
-- order sort by '' (first ascending, last descending): the engines order NULLs differently, an
-- expression orders the same in both (customers/search.cpp sorts by the same expression).
-- sqlite:
CREATE INDEX customers_by_value ON customers (tenant_id, deleted_at, lifetime_value, id);
CREATE INDEX customers_by_last_order ON customers (tenant_id, deleted_at, coalesce(last_order_at, ''), id);
-- postgres:
CREATE INDEX customers_by_value ON customers (tenant_id, lifetime_value, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_last_order ON customers (tenant_id, (coalesce(last_order_at, '')), id) WHERE deleted_at IS NULL;
-- both
