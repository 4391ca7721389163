DROP TABLE recovery_codes;
ALTER TABLE companies DROP COLUMN require_2fa;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;
