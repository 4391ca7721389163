-- Share links: a credential or a document handed to an outsider through a secret URL
-- that expires, opens a set number of times, may ask for a passphrase and can be
-- revoked. Only the token's hash and the passphrase's argon2 hash are kept; the item
-- itself is read (and its secrets decrypted) at view time.
CREATE TABLE share_links (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    passphrase_hash TEXT,
    views INTEGER NOT NULL DEFAULT 0,
    max_views INTEGER NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX share_links_tenant ON share_links (tenant_id, id);
