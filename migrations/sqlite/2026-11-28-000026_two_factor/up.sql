-- Staff two-factor sign-in: the TOTP secret sealed in the vault, when it was turned on,
-- the last time step accepted (a code works once), single-use recovery codes kept as
-- hashes, and who the tenant asks for it (0 nobody, 1 admins, 2 everyone).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at TIMESTAMP;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
ALTER TABLE companies ADD COLUMN require_2fa INTEGER NOT NULL DEFAULT 0;
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
