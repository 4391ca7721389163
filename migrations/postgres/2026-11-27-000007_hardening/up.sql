-- Server-side sessions: the cookie holds a random id; only its hash is stored, so a
-- copy of this table opens no session. Logout, password change and role change delete
-- rows; the server enforces the idle timeout (last_seen_at) and absolute lifetime
-- (expires_at).
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
ALTER TABLE users DROP COLUMN session_epoch;

-- Failed logins and failed current-password checks, counted per (account, address) and
-- per address for throttling. Kept apart from the audit log so counting is one indexed
-- look-up and an attacker's input is never matched as JSON text.
CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, ip, created_at);
CREATE INDEX login_failures_ip ON login_failures (ip, created_at);
DROP INDEX audit_log_login_failures;

-- A tenant may require a reason for every reveal of a secret.
ALTER TABLE companies ADD COLUMN reveal_reason_required BOOLEAN NOT NULL DEFAULT FALSE;

-- The same e-mail may have an account in several tenants (an MSP's contractor, say), so
-- creating a user never tells one tenant about another's users; login then asks which.
DROP INDEX users_email;
CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, email);
CREATE INDEX users_email ON users (email);
