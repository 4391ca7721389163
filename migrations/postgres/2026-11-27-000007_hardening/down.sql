DROP INDEX users_email;
DROP INDEX users_tenant_email;
CREATE UNIQUE INDEX users_email ON users (email);
ALTER TABLE companies DROP COLUMN reveal_reason_required;
CREATE INDEX audit_log_login_failures ON audit_log (action, created_at);
DROP TABLE login_failures;
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
DROP TABLE sessions;
