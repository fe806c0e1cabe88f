-- PostgreSQL's 0006_staff.sql: the inviter is a user of the same workspace.

ALTER TABLE users ADD COLUMN invited_by BIGINT;
ALTER TABLE users ADD FOREIGN KEY (tenant_id, invited_by) REFERENCES users (tenant_id, id);
ALTER TABLE users ADD COLUMN joined_at TEXT;
UPDATE users SET joined_at = created_at;

CREATE TABLE user_invitations (
    tenant_id   BIGINT NOT NULL REFERENCES tenants (id),
    user_id     BIGINT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  BIGINT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
