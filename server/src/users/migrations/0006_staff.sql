-- The people of a workspace: invited by its owners and admins, each with a role (auth/roles.hpp).
-- An invited user has no password (password_hash '') until they accept the invitation.

-- The inviter is a user of the same workspace.
ALTER TABLE users ADD COLUMN invited_by {{bigint}} {{sqlite: REFERENCES users (id)}};
-- postgres:
ALTER TABLE users ADD FOREIGN KEY (tenant_id, invited_by) REFERENCES users (tenant_id, id);
-- both
ALTER TABLE users ADD COLUMN joined_at TEXT;  -- when they first set a password; NULL: invited
UPDATE users SET joined_at = created_at;

-- One-time invitation links; only their hash is kept. Sending a new link deletes the old one.
CREATE TABLE user_invitations (
    tenant_id   {{bigint}} NOT NULL REFERENCES tenants (id),
    user_id     {{bigint}} NOT NULL {{sqlite: REFERENCES users (id)}},
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  {{bigint}} {{sqlite: REFERENCES users (id)}},
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
-- postgres:
ALTER TABLE user_invitations ADD FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    ADD FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id);
-- both
