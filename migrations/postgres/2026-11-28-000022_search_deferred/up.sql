-- SQLite only (its FTS5 index flushes at every trigger); kept so that both databases
-- list the same migrations. PostgreSQL's GIN index takes rows as they come.
SELECT 1;
