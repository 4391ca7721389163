-- An operator's console session has the tenant sessions' limits: it ends when idle too
-- long or older than the absolute lifetime, whatever the cookie says.
ALTER TABLE operators ADD COLUMN session_started_at TIMESTAMP;
ALTER TABLE operators ADD COLUMN session_seen_at TIMESTAMP;
