-- Every sortable column of the client list has the index its order needs (the live
-- rows of one tenant by that column, ties by id), read forwards or backwards: a deep
-- page walks the index instead of sorting the tenant's clients.
CREATE INDEX clients_live_by_company ON clients (tenant_id, company_name, id) WHERE deleted_at IS NULL;
CREATE INDEX clients_live_by_email ON clients (tenant_id, email, id) WHERE deleted_at IS NULL;
CREATE INDEX clients_live_by_status ON clients (tenant_id, status, id) WHERE deleted_at IS NULL;
CREATE INDEX clients_live_by_rate ON clients (tenant_id, hourly_rate, id) WHERE deleted_at IS NULL;
CREATE INDEX clients_live_by_added ON clients (tenant_id, created_at, id) WHERE deleted_at IS NULL;
