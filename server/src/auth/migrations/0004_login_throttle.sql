-- Failed sign-ins, per account ("account:<email or username>") and per source address
-- ("address:<ip>"): the basis of growing lockouts. In the database, so every instance sees them.
CREATE TABLE login_failures (
    throttle_key      TEXT PRIMARY KEY,
    failures          INTEGER NOT NULL,
    first_failure_at  TEXT NOT NULL,
    locked_until      TEXT
);
