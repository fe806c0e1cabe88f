-- Workspaces, the people who sign in, their sessions and API tokens, and idempotency records.
-- Timestamps are ISO 8601 UTC text with milliseconds (see core/time.hpp): they sort in time order.

CREATE TABLE tenants (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- The operator's own business is workspace 1.
INSERT INTO tenants (id, slug, name, created_at, updated_at)
VALUES (1, 'default', 'Default workspace', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenants (id),
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
CREATE UNIQUE INDEX users_tenant_id ON users (tenant_id, id);
-- People sign in with their e-mail alone, so it is unique across the platform.
CREATE UNIQUE INDEX users_email ON users (email) WHERE deleted_at IS NULL;

-- Session and token secrets are stored only as their BLAKE2b hash (hex).
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    remote_address TEXT,
    user_agent    TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,                 -- the first characters, to recognise a token
    created_at    TEXT NOT NULL,
    revoked_at    TEXT
);
CREATE UNIQUE INDEX api_tokens_tenant_id ON api_tokens (tenant_id, id);

-- A create sent again with the same Idempotency-Key gets the first answer back.
CREATE TABLE idempotency_keys (
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id),
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
