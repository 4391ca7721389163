DROP INDEX clients_live_by_name;
CREATE INDEX clients_tenant_name ON clients (tenant_id, name);
