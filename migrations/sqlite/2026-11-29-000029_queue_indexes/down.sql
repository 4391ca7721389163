DROP INDEX tickets_mine;
DROP INDEX tickets_status_due;
