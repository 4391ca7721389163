ALTER TABLE companies DROP COLUMN suspended_at;
DROP TABLE platform_audit;
DROP TABLE operators;
