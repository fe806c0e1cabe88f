-- Open carts (carts/): one per customer, and guest carts keyed by the shop's own cart key, which
-- merge into the customer's cart when that customer signs up with the guest cart's e-mail.
CREATE TABLE carts (
    id            {{scoped_id}},
    tenant_id     {{bigint}} NOT NULL REFERENCES tenants (id),
    customer_id   {{bigint}} {{sqlite: REFERENCES customers (id)}},  -- NULL: a guest cart
    guest_key     {{text_c}},                     -- a guest cart's key from the shop
    email         {{text_c}} NOT NULL DEFAULT '', -- a guest cart's e-mail, lower-case; '' none
    currency      TEXT NOT NULL,
    lines         TEXT NOT NULL DEFAULT '[]',     -- JSON [{sku, name, quantity, unit_price}]
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    {{text_c}} NOT NULL,
    CHECK ((customer_id IS NULL) <> (guest_key IS NULL))
);
-- sqlite:
CREATE UNIQUE INDEX carts_tenant_id ON carts (tenant_id, id);
-- postgres:
ALTER TABLE carts ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE carts ADD FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id);
-- both
CREATE UNIQUE INDEX carts_customer ON carts (tenant_id, customer_id) WHERE customer_id IS NOT NULL;
CREATE UNIQUE INDEX carts_guest ON carts (tenant_id, guest_key) WHERE guest_key IS NOT NULL;
CREATE INDEX carts_guest_email ON carts (tenant_id, email) WHERE guest_key IS NOT NULL AND email <> '';
-- Abandoned carts: the open carts not touched for a while, oldest first.
CREATE INDEX carts_by_updated ON carts (tenant_id, updated_at, id);
