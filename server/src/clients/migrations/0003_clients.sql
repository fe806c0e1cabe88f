-- Client accounts (seed 001): each client is a business with its own workspace, whose owner signs
-- in with a generated username; the operator manages them.

ALTER TABLE tenants ADD COLUMN is_active INTEGER NOT NULL DEFAULT 1;

-- Client owners sign in with a username instead of their e-mail.
ALTER TABLE users ADD COLUMN username TEXT;
CREATE UNIQUE INDEX users_username ON users (username) WHERE username IS NOT NULL;

-- A platform table (the operator's view of its clients): tenant_id is the client's own workspace.
CREATE TABLE clients (
    id                   {{id}},
    tenant_id            {{bigint}} NOT NULL UNIQUE REFERENCES tenants (id),
    owner_user_id        {{bigint}} NOT NULL REFERENCES users (id),
    company_name         TEXT NOT NULL,
    contact_email        TEXT NOT NULL,
    contact_person_name  TEXT,
    phone_number         TEXT,
    whatsapp_number      TEXT,
    business_address     TEXT,
    business_type        TEXT,
    gst_number           TEXT,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

-- The business record inside the client's workspace, used for its daily WhatsApp report.
CREATE TABLE companies (
    id               {{scoped_id}},
    tenant_id        {{bigint}} NOT NULL REFERENCES tenants (id),
    name             TEXT NOT NULL,
    whatsapp_number  TEXT,
    daily_report     INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
-- sqlite:
CREATE UNIQUE INDEX companies_tenant_id ON companies (tenant_id, id);
-- postgres:
ALTER TABLE companies ADD PRIMARY KEY (tenant_id, id);
-- both
