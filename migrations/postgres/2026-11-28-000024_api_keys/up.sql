-- API keys: a key acts as one user of the tenant (read-only keys less); only the
-- token's hash is kept. Requests are counted per key and minute in api_key_hits, so
-- the rate limit holds across every node sharing the database.
CREATE TABLE api_keys (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    read_only BOOLEAN NOT NULL DEFAULT FALSE,
    expires_on DATE,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, id);
CREATE TABLE api_key_hits (
    key_id BIGINT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    window_start TIMESTAMP NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (key_id, window_start)
);
