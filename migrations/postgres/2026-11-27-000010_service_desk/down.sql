DROP TABLE user_recent_clients;
DROP INDEX audit_log_entity;
ALTER TABLE audit_log DROP COLUMN label;
DROP INDEX clients_contract_end;
DROP INDEX client_domains_expiry;
DROP INDEX client_certificates_expiry;
DROP INDEX client_licenses_expiry;
DROP INDEX assets_warranty;
DROP INDEX assets_client_warranty;
DROP INDEX client_licenses_scope;
CREATE INDEX client_licenses_scope ON client_licenses (tenant_id, client_id);
DROP INDEX client_certificates_scope;
CREATE INDEX client_certificates_scope ON client_certificates (tenant_id, client_id);
DROP INDEX client_domains_scope;
CREATE INDEX client_domains_scope ON client_domains (tenant_id, client_id);
DROP INDEX assets_rack;
DROP INDEX assets_scope;
CREATE INDEX assets_scope ON assets (tenant_id, client_id);
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
