-- Secret calendar feed URLs (a phone subscribes without logging in): only the token's
-- hash is kept; a revoked feed answers 404.
CREATE TABLE calendar_feeds (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    client_id BIGINT REFERENCES clients (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX calendar_feeds_tenant ON calendar_feeds (tenant_id, id);
