-- Loyalty points (loyalty/): a workspace's program, and each customer's append-only ledger of
-- entries with the lots that earning creates. The balance is cached on the customer
-- (customers.loyalty_points) in the transaction of each entry; `clientele loyalty rebuild` sets
-- it again from the ledger.

-- One program per workspace (a row appears on the first PUT; without one the defaults hold:
-- 1 point per whole currency unit, earned on paid, never expiring, no minimum, no tiers).
CREATE TABLE loyalty_programs (
    tenant_id               {{bigint}} PRIMARY KEY REFERENCES tenants (id),
    points_per_unit_x100    {{bigint}} NOT NULL DEFAULT 100, -- points per base currency unit, x100
    earn_on                 TEXT NOT NULL DEFAULT 'paid',   -- paid | fulfilled
    earn_includes_tax       INTEGER NOT NULL DEFAULT 0,
    earn_includes_shipping  INTEGER NOT NULL DEFAULT 0,
    expiry_days             INTEGER,                        -- NULL: points never expire
    min_redeem              {{bigint}} NOT NULL DEFAULT 0,
    max_balance             {{bigint}},                     -- NULL: no cap
    tiers                   TEXT NOT NULL DEFAULT '[]',     -- JSON [{name, min_spend, multiplier}]
    version                 INTEGER NOT NULL DEFAULT 1,
    updated_at              TEXT NOT NULL
);

-- The ledger: rows are only ever added. points is signed (earn, positive adjust: +; redeem,
-- expire, reverse, negative adjust: -); balance_after is the customer's balance after it. debt is
-- what a reverse could not take back because the points were already spent: the balance goes
-- below zero by exactly that much, and later earnings pay it off first.
-- An order's entries (order_id set) also say what its earning converges on: withheld is what the
-- program's max_balance kept from an earn (a reverse gives it back first: negative), and
-- multiplier_x100 the tier multiplier the order earns at, fixed by its first earn.
CREATE TABLE loyalty_entries (
    id             {{scoped_id}},
    tenant_id      {{bigint}} NOT NULL REFERENCES tenants (id),
    customer_id    {{bigint}} NOT NULL {{sqlite: REFERENCES customers (id)}},
    kind           TEXT NOT NULL,                  -- earn, redeem, expire, adjust, reverse
    points         {{bigint}} NOT NULL,
    balance_after  {{bigint}} NOT NULL,
    debt           {{bigint}} NOT NULL DEFAULT 0,
    order_id       {{bigint}},
    reason         TEXT,
    withheld       {{bigint}} NOT NULL DEFAULT 0,
    multiplier_x100 INTEGER,
    created_by     {{bigint}},                     -- the user, for adjust and redeem by staff
    created_at     {{text_c}} NOT NULL
);
-- sqlite:
CREATE UNIQUE INDEX loyalty_entries_tenant_id ON loyalty_entries (tenant_id, id);
-- postgres:
ALTER TABLE loyalty_entries ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE loyalty_entries ADD FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id);
-- both
CREATE INDEX loyalty_entries_by_customer ON loyalty_entries (tenant_id, customer_id, id);
CREATE INDEX loyalty_entries_by_order ON loyalty_entries (tenant_id, order_id) WHERE order_id IS NOT NULL;
-- sqlite:
CREATE TRIGGER loyalty_entries_append_only_update BEFORE UPDATE ON loyalty_entries
BEGIN SELECT RAISE(ABORT, 'loyalty_entries is append-only'); END;
-- postgres:
CREATE FUNCTION loyalty_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'loyalty_entries is append-only'; END $$;
CREATE TRIGGER loyalty_entries_append_only_update BEFORE UPDATE ON loyalty_entries
    FOR EACH ROW EXECUTE FUNCTION loyalty_entries_append_only();
-- both

-- A lot: the points one earn (or positive adjust) entry added, with its own expiry and what is
-- left of it. Redeem, expire, reverse and negative adjusts consume lots soonest-expiring first.
CREATE TABLE loyalty_lots (
    id           {{scoped_id}},
    tenant_id    {{bigint}} NOT NULL REFERENCES tenants (id),
    customer_id  {{bigint}} NOT NULL {{sqlite: REFERENCES customers (id)}},
    entry_id     {{bigint}} NOT NULL,
    order_id     {{bigint}},
    points       {{bigint}} NOT NULL,
    remaining    {{bigint}} NOT NULL,
    earned_at    TEXT NOT NULL,
    expires_at   {{text_c}}                        -- NULL: never
);
-- sqlite:
CREATE UNIQUE INDEX loyalty_lots_tenant_id ON loyalty_lots (tenant_id, id);
-- postgres:
ALTER TABLE loyalty_lots ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE loyalty_lots ADD FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id);
-- both
-- A customer's open lots, soonest-expiring first (never-expiring ones last: see loyalty/).
CREATE INDEX loyalty_lots_open ON loyalty_lots (tenant_id, customer_id, expires_at, id) WHERE remaining > 0;
-- An earning entry's lot (its expiry, shown with the entry).
CREATE INDEX loyalty_lots_by_entry ON loyalty_lots (tenant_id, entry_id);
-- The daily expiry's work, across workspaces.
CREATE INDEX loyalty_lots_expiring ON loyalty_lots (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;

-- Which lots a consuming entry (redeem, expire, reverse, negative adjust) took how many points from.
CREATE TABLE loyalty_lot_uses (
    tenant_id  {{bigint}} NOT NULL REFERENCES tenants (id),
    entry_id   {{bigint}} NOT NULL,
    lot_id     {{bigint}} NOT NULL,
    points     {{bigint}} NOT NULL,
    PRIMARY KEY (tenant_id, entry_id, lot_id)
) {{sqlite: WITHOUT ROWID}};

-- The cached balance and tier (a tier's name from the program; NULL: none).
ALTER TABLE customers ADD COLUMN loyalty_points {{bigint}} NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN loyalty_tier TEXT;
