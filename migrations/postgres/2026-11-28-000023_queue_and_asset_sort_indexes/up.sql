-- Every sortable column of the ticket queue and the asset list has the index its order
-- needs (a tenant's live rows by that column, ties by id), read forwards or backwards:
-- a deep page walks an index instead of sorting the tenant's tickets or assets. The
-- queue's indexes carry the status too, so its status filter is checked in the index
-- and only the page's rows are read from the table. (The client column sorts by the
-- client's name, another table: that order still sorts the filtered tickets.)
CREATE INDEX tickets_live_by_number ON tickets (tenant_id, number, status) WHERE deleted_at IS NULL;
CREATE INDEX tickets_live_by_subject ON tickets (tenant_id, subject, id, status) WHERE deleted_at IS NULL;
CREATE INDEX tickets_live_by_status ON tickets (tenant_id, status, id) WHERE deleted_at IS NULL;
CREATE INDEX tickets_live_by_priority ON tickets (tenant_id, priority, id, status) WHERE deleted_at IS NULL;
CREATE INDEX tickets_live_by_due ON tickets (tenant_id, due_date, id, status) WHERE deleted_at IS NULL;
CREATE INDEX tickets_live_by_updated ON tickets (tenant_id, updated_at, id, status) WHERE deleted_at IS NULL;
CREATE INDEX assets_live_by_name ON assets (tenant_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX assets_live_by_type ON assets (tenant_id, type, id) WHERE deleted_at IS NULL;
CREATE INDEX assets_live_by_status ON assets (tenant_id, status, id) WHERE deleted_at IS NULL;
CREATE INDEX assets_live_by_ip ON assets (tenant_id, ip_address, id) WHERE deleted_at IS NULL;
CREATE INDEX assets_live_by_warranty ON assets (tenant_id, warranty_expiry, id) WHERE deleted_at IS NULL;
