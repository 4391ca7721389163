DROP INDEX tickets_open_due;
DROP INDEX tickets_open_mine;
