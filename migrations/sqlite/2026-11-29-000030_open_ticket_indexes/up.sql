-- Open tickets only, in due order: the home page's "mine" and "overdue" lists and the
-- queue's open views walk one of these and stop after a page, and their counts read
-- one range of it. Through the 029 indexes the bundled SQLite chose to walk every
-- ticket in due order to find a technician's 25 (4 ms at 50,000 tickets). The queries
-- spell the open statuses as this literal list (`status::OPEN_TICKETS_SQL`): a bound
-- list cannot prove a partial index's condition.
CREATE INDEX tickets_open_mine ON tickets (tenant_id, assignee_id, due_date, id)
    WHERE deleted_at IS NULL AND status IN ('new', 'open', 'on_hold');
CREATE INDEX tickets_open_due ON tickets (tenant_id, due_date, id)
    WHERE deleted_at IS NULL AND status IN ('new', 'open', 'on_hold');
