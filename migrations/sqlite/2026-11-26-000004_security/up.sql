-- Login throttling counts recent failures by e-mail and by address.
CREATE INDEX audit_log_login_failures ON audit_log (action, created_at);
-- A password change bumps the epoch; sessions from before it stop working.
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
