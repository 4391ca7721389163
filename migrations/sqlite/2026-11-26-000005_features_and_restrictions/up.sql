-- Modules a tenant admin switched off (JSON list of slugs).
ALTER TABLE companies ADD COLUMN disabled_features TEXT NOT NULL DEFAULT '[]';
-- A restricted user sees only the clients listed for them in user_clients.
ALTER TABLE users ADD COLUMN restricted BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE user_clients (
    tenant_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
