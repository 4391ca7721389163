-- The service desk: projects, tickets with a per-tenant number and a server-enforced
-- status, replies with time worked, assets placed in racks, and what the home page
-- and the activity list need. The first `tickets` table (never written) is replaced.

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'active', 'on_hold', 'done', 'cancelled')),
    due_date DATE,
    manager_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX projects_scope ON projects (tenant_id, client_id);

DROP TABLE tickets;
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    -- Given in the creating transaction from `counters`; never reused.
    number BIGINT,
    -- The number as shown (`T-1042`), kept when the tenant's prefix changes later: it
    -- is quoted in mails and notes.
    reference TEXT,
    subject TEXT NOT NULL,
    details TEXT,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'on_hold', 'resolved', 'closed')),
    priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    category TEXT,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    asset_id BIGINT REFERENCES assets(id) ON DELETE SET NULL,
    assignee_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    project_id BIGINT REFERENCES projects(id) ON DELETE SET NULL,
    recurring_ticket_id BIGINT REFERENCES client_recurring_tickets(id) ON DELETE SET NULL,
    due_date DATE,
    resolution TEXT,
    closed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX tickets_number ON tickets (tenant_id, number);
CREATE INDEX tickets_scope ON tickets (tenant_id, client_id, status, due_date);
-- A client's Tickets tab, newest or oldest first.
CREATE INDEX tickets_client_number ON tickets (tenant_id, client_id, number);
-- The queue and the home page count live tickets by status, assignee and due date:
-- partial indexes of the live rows cover those counts without reading the table.
CREATE INDEX tickets_status ON tickets (tenant_id, status, number) WHERE deleted_at IS NULL;
-- The top menu counts a user's open tickets on every page.
CREATE INDEX tickets_assignee ON tickets (assignee_id, status, client_id) WHERE deleted_at IS NULL;
CREATE INDEX tickets_due ON tickets (tenant_id, due_date, status) WHERE deleted_at IS NULL;
CREATE INDEX tickets_project ON tickets (project_id);
CREATE INDEX tickets_asset ON tickets (asset_id);
CREATE INDEX tickets_contact ON tickets (contact_id);
CREATE INDEX tickets_location ON tickets (location_id);

CREATE TABLE ticket_replies (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    public BOOLEAN NOT NULL DEFAULT FALSE,
    minutes INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    billable BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ticket_replies_ticket ON ticket_replies (tenant_id, ticket_id, created_at);

-- Per-tenant sequences (tickets now; invoices and quotes later).
CREATE TABLE counters (
    tenant_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

ALTER TABLE companies ADD COLUMN ticket_prefix TEXT NOT NULL DEFAULT 'T-';

ALTER TABLE assets ADD COLUMN rack_id BIGINT REFERENCES client_racks(id) ON DELETE SET NULL;
ALTER TABLE assets ADD COLUMN rack_unit INTEGER;
ALTER TABLE assets ADD COLUMN rack_height INTEGER;
CREATE INDEX assets_tenant_name ON assets (tenant_id, deleted_at, name);
-- A client's Assets tab and asset pickers, by name: the scope index serves the order,
-- so no plan walks the whole tenant's assets in name order instead.
DROP INDEX assets_scope;
CREATE INDEX assets_scope ON assets (tenant_id, client_id, deleted_at, name);
CREATE INDEX assets_rack ON assets (rack_id);
-- The attention list and the home page read dated records by tenant and date.
-- Tenant-wide (the home page) by date; per client (the dashboard) by client, then date,
-- so neither plan walks the other's rows.
CREATE INDEX assets_warranty ON assets (tenant_id, warranty_expiry);
CREATE INDEX assets_client_warranty ON assets (tenant_id, client_id, warranty_expiry);
DROP INDEX client_licenses_scope;
CREATE INDEX client_licenses_scope ON client_licenses (tenant_id, client_id, expiry_date);
DROP INDEX client_certificates_scope;
CREATE INDEX client_certificates_scope ON client_certificates (tenant_id, client_id, expiry_date);
DROP INDEX client_domains_scope;
CREATE INDEX client_domains_scope ON client_domains (tenant_id, client_id, expiry_date);
CREATE INDEX client_licenses_expiry ON client_licenses (tenant_id, expiry_date);
CREATE INDEX client_certificates_expiry ON client_certificates (tenant_id, expiry_date);
CREATE INDEX client_domains_expiry ON client_domains (tenant_id, expiry_date);
CREATE INDEX clients_contract_end ON clients (tenant_id, contract_end_date)
    WHERE deleted_at IS NULL AND contract_end_date IS NOT NULL;

-- What the record was called when it was written, for the activity list's sentences.
ALTER TABLE audit_log ADD COLUMN label TEXT;
CREATE INDEX audit_log_entity ON audit_log (tenant_id, entity, entity_id);

CREATE TABLE user_recent_clients (
    tenant_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL,
    viewed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, client_id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
