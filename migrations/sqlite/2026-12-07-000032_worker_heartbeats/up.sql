-- Each job worker thread, on whichever node: when it last got round its loop, what it
-- has done and its last trouble. The readiness check reads it (a worker that stopped
-- beating is dead or stuck), and the operator sees it on the jobs page.
CREATE TABLE workers (
    name TEXT PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    beat_at TIMESTAMP NOT NULL,
    done BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    last_error TEXT
);
