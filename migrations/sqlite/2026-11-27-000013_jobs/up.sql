-- The persistent job queue the workers claim from.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    -- The same key is queued once (a retry of an enqueue, two schedulers).
    idempotency_key TEXT,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead', 'cancelled')),
    run_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    last_error TEXT,
    -- The worker holding it and until when: past that, another may take it over.
    locked_by TEXT,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (idempotency_key);
CREATE INDEX jobs_due ON jobs (state, run_at);
