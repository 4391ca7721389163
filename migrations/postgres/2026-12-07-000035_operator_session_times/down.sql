ALTER TABLE operators DROP COLUMN session_seen_at;
ALTER TABLE operators DROP COLUMN session_started_at;
