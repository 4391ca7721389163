-- A user's life in the tenant: disabled (kept, cannot sign in, keys stopped), when
-- they last signed in, and one-time links to choose a password (an invitation or a
-- reset). Only a link's hash is kept.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP;
ALTER TABLE users ADD COLUMN last_login_at TIMESTAMP;
CREATE TABLE one_time_links (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX one_time_links_user ON one_time_links (user_id);
