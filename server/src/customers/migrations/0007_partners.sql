-- Customers as partners (seed 000): individuals and companies, contacts, typed addresses, the
-- workspace's own lists of titles, tags and industries, and customer portal accounts. On
-- PostgreSQL the references within a workspace are composite foreign keys (tenant_id, ...).

-- The workspace's lists. Each workspace starts with the seeded rows (clients/service.cpp seeds new
-- workspaces the same way; see customers/lookups.cpp).
CREATE TABLE customer_titles (
    id          {{scoped_id}},
    tenant_id   {{bigint}} NOT NULL REFERENCES tenants (id),
    name        TEXT NOT NULL,             -- "Doctor"
    short_name  TEXT NOT NULL,             -- "Dr."
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- sqlite:
CREATE UNIQUE INDEX customer_titles_tenant_id ON customer_titles (tenant_id, id);
-- postgres:
ALTER TABLE customer_titles ADD PRIMARY KEY (tenant_id, id);
-- both
CREATE UNIQUE INDEX customer_titles_name ON customer_titles (tenant_id, name);

CREATE TABLE industries (
    id          {{scoped_id}},
    tenant_id   {{bigint}} NOT NULL REFERENCES tenants (id),
    name        TEXT NOT NULL,
    full_name   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- sqlite:
CREATE UNIQUE INDEX industries_tenant_id ON industries (tenant_id, id);
-- postgres:
ALTER TABLE industries ADD PRIMARY KEY (tenant_id, id);
-- both
CREATE UNIQUE INDEX industries_name ON industries (tenant_id, name);

CREATE TABLE tags (
    id          {{scoped_id}},
    tenant_id   {{bigint}} NOT NULL REFERENCES tenants (id),
    name        TEXT NOT NULL,             -- unique in the workspace, in any case (checked on write)
    color       TEXT NOT NULL,             -- #rrggbb
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- sqlite:
CREATE UNIQUE INDEX tags_tenant_id ON tags (tenant_id, id);
-- postgres:
ALTER TABLE tags ADD PRIMARY KEY (tenant_id, id);
-- both
CREATE UNIQUE INDEX tags_name ON tags (tenant_id, name);

CREATE TABLE customer_tags (
    tenant_id    {{bigint}} NOT NULL REFERENCES tenants (id),
    customer_id  {{bigint}} NOT NULL {{sqlite: REFERENCES customers (id)}},
    tag_id       {{bigint}} NOT NULL {{sqlite: REFERENCES tags (id)}},
    PRIMARY KEY (tenant_id, customer_id, tag_id)
) {{sqlite: WITHOUT ROWID}};
-- postgres:
ALTER TABLE customer_tags ADD FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    ADD FOREIGN KEY (tenant_id, tag_id) REFERENCES tags (tenant_id, id);
-- both
CREATE INDEX customer_tags_by_tag ON customer_tags (tenant_id, tag_id, customer_id);

ALTER TABLE customers ADD COLUMN account_type TEXT NOT NULL DEFAULT 'individual';
ALTER TABLE customers ADD COLUMN company_id {{bigint}} {{sqlite: REFERENCES customers (id)}};
-- postgres:
ALTER TABLE customers ADD FOREIGN KEY (tenant_id, company_id) REFERENCES customers (tenant_id, id);
-- both
ALTER TABLE customers ADD COLUMN tax_id TEXT;
ALTER TABLE customers ADD COLUMN job_title TEXT;
ALTER TABLE customers ADD COLUMN mobile TEXT;
ALTER TABLE customers ADD COLUMN website TEXT;
ALTER TABLE customers ADD COLUMN title_id {{bigint}} {{sqlite: REFERENCES customer_titles (id)}};
ALTER TABLE customers ADD COLUMN responsible_id {{bigint}} {{sqlite: REFERENCES users (id)}};
-- postgres:
ALTER TABLE customers ADD FOREIGN KEY (tenant_id, title_id) REFERENCES customer_titles (tenant_id, id),
    ADD FOREIGN KEY (tenant_id, responsible_id) REFERENCES users (tenant_id, id);
-- both
ALTER TABLE customers ADD COLUMN company_registry TEXT;
ALTER TABLE customers ADD COLUMN reference TEXT;
ALTER TABLE customers ADD COLUMN industry_id {{bigint}} {{sqlite: REFERENCES industries (id)}};
-- postgres:
ALTER TABLE customers ADD FOREIGN KEY (tenant_id, industry_id) REFERENCES industries (tenant_id, id);
-- both
-- Portal access: self-registered customers, and those who accepted an invitation, have a password.
ALTER TABLE customers ADD COLUMN portal_password_hash TEXT;
ALTER TABLE customers ADD COLUMN portal_joined_at TEXT;
ALTER TABLE customers ADD COLUMN portal_last_login TEXT;
ALTER TABLE customers ADD COLUMN registered_via TEXT NOT NULL DEFAULT 'admin';  -- admin, portal

CREATE INDEX customers_by_company ON customers (tenant_id, company_id) WHERE company_id IS NOT NULL;
CREATE INDEX customers_by_industry ON customers (tenant_id, industry_id) WHERE industry_id IS NOT NULL;
CREATE INDEX customers_by_responsible ON customers (tenant_id, responsible_id)
    WHERE responsible_id IS NOT NULL;
-- sqlite:
CREATE INDEX customers_by_type ON customers (tenant_id, deleted_at, account_type, created_at, id);
-- postgres:
-- As the list orders of 0002: partial, so that the planner walks it in order.
CREATE INDEX customers_by_type ON customers (tenant_id, account_type, created_at, id)
    WHERE deleted_at IS NULL;
-- both

-- Typed addresses of a customer; at most one default invoice and one default delivery address.
CREATE TABLE customer_addresses (
    id                   {{scoped_id}},
    tenant_id            {{bigint}} NOT NULL REFERENCES tenants (id),
    customer_id          {{bigint}} NOT NULL {{sqlite: REFERENCES customers (id)}},
    type                 TEXT NOT NULL,    -- permanent, present, invoice, delivery, other
    full_name            TEXT,
    email                TEXT,
    phone                TEXT,
    mobile               TEXT,
    street               TEXT,
    street2              TEXT,
    city                 TEXT,
    postal_code          TEXT,
    state                TEXT,
    country              TEXT,
    is_default_invoice   INTEGER NOT NULL DEFAULT 0,
    is_default_delivery  INTEGER NOT NULL DEFAULT 0,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
-- sqlite:
CREATE UNIQUE INDEX customer_addresses_tenant_id ON customer_addresses (tenant_id, id);
-- postgres:
ALTER TABLE customer_addresses ADD PRIMARY KEY (tenant_id, id),
    ADD FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id);
-- both
CREATE INDEX customer_addresses_of ON customer_addresses (tenant_id, customer_id, id);
CREATE UNIQUE INDEX customer_addresses_default_invoice ON customer_addresses (tenant_id, customer_id)
    WHERE is_default_invoice = 1;
CREATE UNIQUE INDEX customer_addresses_default_delivery ON customer_addresses (tenant_id, customer_id)
    WHERE is_default_delivery = 1;

-- The lists every workspace starts with: copied into a new workspace when it is created
-- (customers/lookups.cpp), and here into the workspaces that exist already.
CREATE TABLE default_customer_titles (name TEXT PRIMARY KEY, short_name TEXT NOT NULL, position INTEGER NOT NULL);
INSERT INTO default_customer_titles (name, short_name, position) VALUES
    ('Mister', 'Mr.', 1), ('Miss', 'Ms.', 2), ('Madam', 'Mrs.', 3), ('Doctor', 'Dr.', 4),
    ('Professor', 'Prof.', 5);

-- Sectors after the top level of the NACE Rev. 2 classification, in plain words.
CREATE TABLE default_industries (name TEXT PRIMARY KEY, full_name TEXT NOT NULL, position INTEGER NOT NULL);
INSERT INTO default_industries (name, full_name, position) VALUES
    ('Agriculture', 'Agriculture, forestry and fishing', 1),
    ('Mining', 'Mining and quarrying', 2),
    ('Manufacturing', 'Manufacturing', 3),
    ('Energy', 'Electricity, gas, steam and air conditioning supply', 4),
    ('Water & waste', 'Water supply, sewerage, waste management and remediation', 5),
    ('Construction', 'Construction', 6),
    ('Retail & wholesale', 'Wholesale and retail trade; repair of motor vehicles', 7),
    ('Transport & logistics', 'Transportation and storage', 8),
    ('Hospitality', 'Accommodation and food service activities', 9),
    ('IT & communication', 'Information and communication', 10),
    ('Finance & insurance', 'Financial and insurance activities', 11),
    ('Real estate', 'Real estate activities', 12),
    ('Professional services', 'Professional, scientific and technical activities', 13),
    ('Administrative services', 'Administrative and support service activities', 14),
    ('Public administration', 'Public administration and defence', 15),
    ('Education', 'Education', 16),
    ('Health & social work', 'Human health and social work activities', 17),
    ('Arts & entertainment', 'Arts, entertainment and recreation', 18),
    ('Other services', 'Other service activities', 19);

INSERT INTO customer_titles (tenant_id, name, short_name, created_at, updated_at)
SELECT t.id, d.name, d.short_name, {{now}}, {{now}}
FROM tenants t CROSS JOIN default_customer_titles d ORDER BY t.id, d.position;
INSERT INTO industries (tenant_id, name, full_name, created_at, updated_at)
SELECT t.id, d.name, d.full_name, {{now}}, {{now}}
FROM tenants t CROSS JOIN default_industries d ORDER BY t.id, d.position;

-- Customer portal sessions (as sessions, for customers instead of users).
CREATE TABLE portal_sessions (
    token_hash      TEXT PRIMARY KEY,
    tenant_id       {{bigint}} NOT NULL REFERENCES tenants (id),
    customer_id     {{bigint}} NOT NULL {{sqlite: REFERENCES customers (id)}},
    csrf_token      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    remote_address  TEXT,
    user_agent      TEXT
);
-- postgres:
ALTER TABLE portal_sessions ADD FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id);
-- both
CREATE INDEX portal_sessions_customer ON portal_sessions (tenant_id, customer_id);

-- One-time links that give an admin-created customer portal access (only the hash is kept).
CREATE TABLE portal_invitations (
    tenant_id    {{bigint}} NOT NULL REFERENCES tenants (id),
    customer_id  {{bigint}} NOT NULL {{sqlite: REFERENCES customers (id)}},
    token_hash   TEXT NOT NULL UNIQUE,
    created_by   {{bigint}} {{sqlite: REFERENCES users (id)}},
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);
-- postgres:
ALTER TABLE portal_invitations
    ADD FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    ADD FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id);
-- both
