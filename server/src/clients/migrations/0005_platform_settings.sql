-- Settings of the whole platform that the operator edits (the client credentials message).
CREATE TABLE platform_settings (
    setting_key  TEXT PRIMARY KEY,
    value        TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
