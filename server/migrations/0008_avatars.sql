-- Customer avatars (seed 000): the uploaded image as sent (PNG, JPEG or WebP, at most 2 MiB,
-- its type told from its bytes) and a 128x128 PNG thumbnail made from it.
CREATE TABLE customer_avatars (
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id),
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    content_type  TEXT NOT NULL,
    image         BLOB NOT NULL,
    thumbnail     BLOB NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);

-- When the avatar last changed (NULL: none): in the customer's JSON as a versioned URL, so a
-- browser may cache an avatar for good and still see a new one at once.
ALTER TABLE customers ADD COLUMN avatar_updated_at TEXT;
