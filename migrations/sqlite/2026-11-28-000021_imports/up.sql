-- Uploaded import files waiting for their commit (the dry-run report is recomputed
-- from the file each time it is shown); the bytes are in the files folder.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    stored_name TEXT NOT NULL,
    original_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    layout TEXT NOT NULL,
    client_name TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX imports_tenant ON imports (tenant_id, id);
