-- The scheduler's tenant settings: the time zone its dates are read in, what a
-- recurring ticket does after downtime (every missed run, or only the latest), the
-- expiry lead times in days, whether auto-renewing items stay quiet, and how many days
-- after its due date an unpaid invoice is reminded of (NULL: never).
ALTER TABLE companies ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE companies ADD COLUMN catch_up TEXT NOT NULL DEFAULT 'all' CHECK (catch_up IN ('all', 'latest'));
ALTER TABLE companies ADD COLUMN expiry_leads TEXT NOT NULL DEFAULT '30,7,1,0';
ALTER TABLE companies ADD COLUMN quiet_auto_renew BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE companies ADD COLUMN overdue_reminder_days INTEGER;

-- A recurring ticket's runs are counted from an anchor (the 31st stays the 31st);
-- NULL: the next run is the anchor (a new or re-dated schedule).
ALTER TABLE client_recurring_tickets ADD COLUMN anchor_at TIMESTAMP;
ALTER TABLE client_recurring_tickets ADD COLUMN run_index INTEGER NOT NULL DEFAULT 0;

-- The run a ticket was opened for: one ticket per (template, run), whatever happens.
ALTER TABLE tickets ADD COLUMN recurring_run_at TIMESTAMP;
CREATE UNIQUE INDEX tickets_recurring_run ON tickets (recurring_ticket_id, recurring_run_at)
    WHERE recurring_run_at IS NOT NULL;

-- What the scheduler told: each (item, date, threshold) once. A renewed item has a new
-- date and starts over. Notices not yet mailed go into the tenant's next daily digest.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('expiry', 'overdue')),
    subject TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    due_on DATE NOT NULL,
    lead_days INTEGER NOT NULL,
    name TEXT NOT NULL,
    noticed_on DATE NOT NULL,
    mailed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX notices_once ON notices (tenant_id, kind, subject, subject_id, due_on, lead_days);
CREATE INDEX notices_unmailed ON notices (tenant_id, noticed_on) WHERE mailed_at IS NULL;
