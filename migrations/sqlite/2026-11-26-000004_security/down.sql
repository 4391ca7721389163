ALTER TABLE users DROP COLUMN session_epoch;
DROP INDEX audit_log_login_failures;
