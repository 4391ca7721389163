ALTER TABLE imports DROP COLUMN checked_at;
ALTER TABLE imports DROP COLUMN report;
