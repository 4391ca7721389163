-- An upload's dry run, kept with it: the import page shows it without unpacking and
-- reading the file again on every view ("Check again" runs it anew).
ALTER TABLE imports ADD COLUMN report TEXT;
ALTER TABLE imports ADD COLUMN checked_at TIMESTAMP;
