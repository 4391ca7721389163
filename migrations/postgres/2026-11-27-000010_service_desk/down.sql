DROP TABLE user_recent_clients;
DROP INDEX audit_log_entity;
ALTER TABLE audit_log DROP COLUMN label;
DROP INDEX assets_rack;
DROP INDEX assets_tenant_name;
ALTER TABLE assets DROP COLUMN rack_height;
ALTER TABLE assets DROP COLUMN rack_unit;
ALTER TABLE assets DROP COLUMN rack_id;
ALTER TABLE companies DROP COLUMN ticket_prefix;
DROP TABLE counters;
DROP TABLE ticket_replies;
DROP TABLE tickets;
CREATE TABLE tickets (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    asset_id BIGINT REFERENCES assets(id) ON DELETE SET NULL,
    recurring_ticket_id BIGINT REFERENCES client_recurring_tickets(id) ON DELETE SET NULL,
    assignee_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    details TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'waiting', 'resolved', 'closed')),
    priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX tickets_scope ON tickets (tenant_id, client_id);
DROP TABLE projects;
