-- The client list shows the live rows of one tenant sorted by name: a partial index on
-- exactly that serves the filter, the default order and the page count.
DROP INDEX clients_tenant_name;
CREATE INDEX clients_live_by_name ON clients (tenant_id, name, id) WHERE deleted_at IS NULL;
