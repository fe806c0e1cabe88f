-- Background jobs (jobs/): the outbox of work that runs after the request, and the recurring
-- schedules that feed it. A job row is written in the transaction of the change that causes it.
-- tenant_id NULL: a platform job (clean-ups, backups), seen by no workspace's API.
-- tenant_id cannot lead the keys here, as it does elsewhere: platform jobs have none. The queue is
-- small and short-lived, so on a distributed engine it would be a local (coordinator) table.

-- "every N minutes" (on a grid of N minutes from the epoch, UTC) or "daily at HH:MM" in a time
-- zone. Its next run is always a queued job row; claiming a run inserts the following one in the
-- same transaction, and (schedule_id, run_at) is unique, so a restart neither loses nor doubles
-- a run.
CREATE TABLE job_schedules (
    id             {{id}},
    tenant_id      {{bigint}} REFERENCES tenants (id),
    name           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,
    payload        TEXT NOT NULL DEFAULT '{}',
    every_minutes  INTEGER,
    daily_at       TEXT,                          -- HH:MM
    time_zone      TEXT NOT NULL DEFAULT 'UTC',   -- IANA name, for daily_at
    enabled        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK ((every_minutes IS NULL) <> (daily_at IS NULL))
);

CREATE TABLE jobs (
    id              {{id}},
    tenant_id       {{bigint}} REFERENCES tenants (id),
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL DEFAULT '{}',   -- JSON
    -- queued, running, done, failed (an attempt failed; retried at run_at), dead, cancelled
    state           TEXT NOT NULL DEFAULT 'queued',
    run_at          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    max_attempts    INTEGER NOT NULL DEFAULT 5,
    last_error      TEXT,
    progress_done   {{bigint}} NOT NULL DEFAULT 0,
    progress_total  {{bigint}},
    result          TEXT,                         -- JSON
    lease_owner     TEXT,
    lease_until     TEXT,
    schedule_id     {{bigint}} REFERENCES job_schedules (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    finished_at     TEXT
);
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state IN ('queued', 'failed');
CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_tenant ON jobs (tenant_id, id);
CREATE UNIQUE INDEX jobs_schedule_run ON jobs (schedule_id, run_at) WHERE schedule_id IS NOT NULL;

-- The effect of the `test.touch` kind (registered only with --enable-test-jobs): one row per job,
-- counting how often its effect was committed. Lets a test prove exactly-once effects.
CREATE TABLE job_test_effects (
    job_id     {{bigint}} PRIMARY KEY,
    tenant_id  {{bigint}},
    runs       INTEGER NOT NULL
);
