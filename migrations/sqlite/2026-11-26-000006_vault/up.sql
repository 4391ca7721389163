-- A credential's TOTP seed, sealed like its password.
ALTER TABLE client_credentials ADD COLUMN otp_secret TEXT;
-- Every replaced secret (a credential's previous passwords…), sealed under its own
-- row's associated data, so it can still be revealed.
CREATE TABLE secret_history (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    replaced_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX secret_history_entity ON secret_history (tenant_id, entity, entity_id);
