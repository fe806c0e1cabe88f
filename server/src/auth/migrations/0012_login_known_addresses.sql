-- The addresses each sign-in account signed in from lately (see auth/throttle.hpp): a lock that
-- failures from many addresses put on an account does not apply to them, so an attacker cannot
-- lock the owner out. The same SQL on SQLite and PostgreSQL.
CREATE TABLE login_known_addresses (
    account_key   TEXT NOT NULL,               -- as in login_failures: "email:<address>", ...
    address       TEXT NOT NULL,
    signed_in_at  TEXT NOT NULL,
    PRIMARY KEY (account_key, address)
);
