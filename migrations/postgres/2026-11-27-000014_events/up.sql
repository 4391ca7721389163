-- The outbox: one row per change that matters, written by `audit::record` in the
-- changing transaction (so a rolled-back change leaves none and a committed one is
-- never lost); the dispatcher turns pending rows into keyed jobs.
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    entity_id BIGINT,
    client_id BIGINT,
    payload TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL,
    dispatched_at TIMESTAMP
);
CREATE INDEX events_pending ON events (id) WHERE dispatched_at IS NULL;
