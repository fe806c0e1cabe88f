-- Workspaces, the people who sign in, their sessions and API tokens, and idempotency records.
-- Timestamps are ISO 8601 UTC text with milliseconds (see core/time.hpp): they sort in time order.
-- Flags are integers (0/1) and timestamps text on PostgreSQL too, so that one SQL text serves both
-- stores. There ids are 64-bit identities, and tenant_id leads the key of every table a workspace
-- owns, so the schema can be distributed by workspace; SQLite's key is the rowid, with a unique
-- index (tenant_id, id) beside it.

-- postgres:
-- SQLite's instr(), so that substring filters are one SQL text for both stores.
CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN strpos(haystack, needle);
-- both

CREATE TABLE tenants (
    id          {{id}},
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- The operator's own business is workspace 1 (PostgreSQL's identity continues after it).
INSERT INTO tenants (id, slug, name, created_at, updated_at)
VALUES (1, 'default', 'Default workspace', {{now}}, {{now}});
-- postgres:
SELECT setval(pg_get_serial_sequence('tenants', 'id'), 1);
-- both

CREATE TABLE users (
    id                 {{scoped_id}},
    tenant_id          {{bigint}} NOT NULL REFERENCES tenants (id),
    email              TEXT NOT NULL,            -- lower-case
    name               TEXT NOT NULL DEFAULT '',
    password_hash      TEXT NOT NULL,            -- argon2id, libsodium's encoded form
    role               TEXT NOT NULL,
    is_platform_admin  INTEGER NOT NULL DEFAULT 0,
    is_active          INTEGER NOT NULL DEFAULT 1,
    last_login         TEXT,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    deleted_at         TEXT
);
-- sqlite:
CREATE UNIQUE INDEX users_tenant_id ON users (tenant_id, id);
-- postgres:
-- UNIQUE (id): sessions and tokens find their user by id alone.
ALTER TABLE users ADD PRIMARY KEY (tenant_id, id), ADD UNIQUE (id);
-- both
-- People sign in with their e-mail alone, so it is unique across the platform.
CREATE UNIQUE INDEX users_email ON users (email) WHERE deleted_at IS NULL;

-- Session and token secrets are stored only as their BLAKE2b hash (hex).
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    tenant_id     {{bigint}} NOT NULL REFERENCES tenants (id),
    user_id       {{bigint}} NOT NULL {{sqlite: REFERENCES users (id)}},
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    remote_address TEXT,
    user_agent    TEXT
);
-- postgres:
ALTER TABLE sessions ADD FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id);
-- both
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id            {{scoped_id}},
    tenant_id     {{bigint}} NOT NULL REFERENCES tenants (id),
    user_id       {{bigint}} NOT NULL {{sqlite: REFERENCES users (id)}},
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,                 -- the first characters, to recognise a token
    created_at    TEXT NOT NULL,
    revoked_at    TEXT
);
-- sqlite:
CREATE UNIQUE INDEX api_tokens_tenant_id ON api_tokens (tenant_id, id);
-- postgres:
ALTER TABLE api_tokens ADD PRIMARY KEY (tenant_id, id),
    ADD FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id);
-- both

-- A create sent again with the same Idempotency-Key gets the first answer back.
CREATE TABLE idempotency_keys (
    tenant_id      {{bigint}} NOT NULL REFERENCES tenants (id),
    principal      TEXT NOT NULL,                -- who sent it: "user:<id>"
    idem_key       TEXT NOT NULL,
    request_hash   TEXT NOT NULL,                -- method, path and body
    status         INTEGER NOT NULL,
    response_headers TEXT NOT NULL,            -- JSON object of the headers to replay
    response_body  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, principal, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
