-- Invoices and their payments. Amounts are integers of the invoice currency's minor
-- unit; quantities, prices and rates are exact decimals kept as text (`finance::totals`
-- computes with them, the database only stores them).
ALTER TABLE clients ADD COLUMN net_terms INTEGER NOT NULL DEFAULT 30 CHECK (net_terms BETWEEN 0 AND 365);
ALTER TABLE clients ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
ALTER TABLE companies ADD COLUMN invoice_prefix TEXT NOT NULL DEFAULT 'INV-';

CREATE TABLE invoices (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    -- Given when the invoice leaves draft, from `counters`: gap-free, never reused.
    number BIGINT,
    reference TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'partial', 'paid', 'void')),
    currency TEXT NOT NULL,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    issue_date DATE,
    due_date DATE,
    notes TEXT,
    subtotal BIGINT NOT NULL DEFAULT 0,
    discount BIGINT NOT NULL DEFAULT 0,
    tax BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    paid BIGINT NOT NULL DEFAULT 0 CHECK (paid >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX invoices_number ON invoices (tenant_id, number);
CREATE INDEX invoices_scope ON invoices (tenant_id, client_id, status);
CREATE INDEX invoices_due ON invoices (tenant_id, status, due_date);

CREATE TABLE invoice_lines (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    invoice_id BIGINT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    tax_percent TEXT NOT NULL,
    discount_percent TEXT NOT NULL,
    amount BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    tax BIGINT NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (tenant_id, invoice_id, position);

CREATE TABLE payments (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    invoice_id BIGINT NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    paid_on DATE NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    method TEXT NOT NULL CHECK (method IN ('bank_transfer', 'card', 'cash', 'check', 'other')),
    reference TEXT,
    created_at TIMESTAMP NOT NULL,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX payments_invoice ON payments (tenant_id, invoice_id);
CREATE INDEX payments_scope ON payments (tenant_id, client_id, paid_on);
