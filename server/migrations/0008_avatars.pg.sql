-- PostgreSQL's 0008_avatars.sql: images as bytea.
CREATE TABLE customer_avatars (
    tenant_id     BIGINT NOT NULL REFERENCES tenants (id),
    customer_id   BIGINT NOT NULL,
    content_type  TEXT NOT NULL,
    image         BYTEA NOT NULL,
    thumbnail     BYTEA NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, customer_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);

ALTER TABLE customers ADD COLUMN avatar_updated_at TEXT;
