-- The audit trail (server/src/audit/trail.hpp): one row per change, written in the change's own
-- transaction. Append-only: the triggers below refuse every UPDATE, and every DELETE but that of
-- entries older than the cutoff the retention job sets within its own transaction (PostgreSQL
-- refuses TRUNCATE as well).
CREATE TABLE audit_events (
    id          {{scoped_id}},
    tenant_id   {{bigint}} NOT NULL REFERENCES tenants (id),
    at          TEXT NOT NULL,
    actor_kind  TEXT NOT NULL,      -- user, client, portal_customer, api_token, system
    actor_id    {{bigint}},
    actor_name  TEXT NOT NULL,      -- as it was at the time
    action      TEXT NOT NULL,      -- customer.updated
    entity      TEXT NOT NULL,      -- customer
    entity_id   {{bigint}},
    changes     TEXT NOT NULL,      -- {"field": {"from": …, "to": …}}, sensitive values masked
    request_id  TEXT,
    address     TEXT,
    user_agent  TEXT
);
-- sqlite:
CREATE INDEX audit_events_by_workspace ON audit_events (tenant_id, id);
-- postgres:
ALTER TABLE audit_events ADD PRIMARY KEY (tenant_id, id);
-- both
CREATE INDEX audit_events_by_entity ON audit_events (tenant_id, entity, entity_id, id);

-- The one row holding the retention job's cutoff: '' (nothing may be deleted) but inside it.
CREATE TABLE audit_retention (cutoff TEXT NOT NULL);
INSERT INTO audit_retention (cutoff) VALUES ('');

-- sqlite:
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    WHEN old.at >= (SELECT cutoff FROM audit_retention)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: only entries past retention may go');
END;
-- Retention keeps at least a day, whatever asks.
CREATE TRIGGER audit_retention_at_least_a_day BEFORE UPDATE ON audit_retention
    WHEN new.cutoff > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')
BEGIN
    SELECT RAISE(ABORT, 'the audit retention cutoff must be at least a day old');
END;
CREATE TRIGGER audit_retention_one_row BEFORE DELETE ON audit_retention
BEGIN
    SELECT RAISE(ABORT, 'audit_retention keeps its row');
END;
-- postgres:
CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < (SELECT cutoff FROM audit_retention) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: only entries past retention may go';
END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_guard();
CREATE FUNCTION audit_events_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_no_truncate();

-- Retention keeps at least a day, whatever asks.
CREATE FUNCTION audit_retention_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_retention keeps its row';
    END IF;
    IF NEW.cutoff > to_char((now() - interval '1 day') AT TIME ZONE 'UTC',
                            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') THEN
        RAISE EXCEPTION 'the audit retention cutoff must be at least a day old';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_retention_guard BEFORE UPDATE OR DELETE ON audit_retention
    FOR EACH ROW EXECUTE FUNCTION audit_retention_guard();
