-- The platform: operators (accounts outside every tenant, made on the shell), their
-- audit log, and suspended tenants (their users, keys and jobs stop; data untouched).
CREATE TABLE operators (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- The live console session's nonce (its cookie carries it): signing out or in
    -- elsewhere ends a copied cookie at once.
    session_nonce TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE platform_audit (
    id INTEGER PRIMARY KEY,
    operator_id BIGINT REFERENCES operators (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    tenant_id BIGINT,
    details TEXT NOT NULL,
    ip TEXT,
    created_at TIMESTAMP NOT NULL
);
ALTER TABLE companies ADD COLUMN suspended_at TIMESTAMP;
