-- Customer avatars (seed 000): the uploaded image as sent (PNG, JPEG or WebP, at most 2 MiB,
-- its type told from its bytes) and a 128x128 PNG thumbnail made from it.
CREATE TABLE customer_avatars (
    tenant_id     {{bigint}} NOT NULL REFERENCES tenants (id),
    customer_id   {{bigint}} NOT NULL {{sqlite: REFERENCES customers (id)}},
    content_type  TEXT NOT NULL,
    image         {{blob}} NOT NULL,
    thumbnail     {{blob}} NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);
-- postgres:
ALTER TABLE customer_avatars ADD FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id);
-- both

-- When the avatar last changed (NULL: none): in the customer's JSON as a versioned URL, so a
-- browser may cache an avatar for good and still see a new one at once.
ALTER TABLE customers ADD COLUMN avatar_updated_at TEXT;
