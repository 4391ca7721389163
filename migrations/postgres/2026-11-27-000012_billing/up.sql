-- Quotes, recurring invoice templates and expenses; the lines of invoices, quotes and
-- templates in one table (a line belongs to exactly one of them); what was billed
-- remembers its invoice, so it is billed once. Tenant details for printed invoices.
ALTER TABLE companies ADD COLUMN billing_address TEXT;
ALTER TABLE companies ADD COLUMN tax_id TEXT;
ALTER TABLE companies ADD COLUMN quote_prefix TEXT NOT NULL DEFAULT 'Q-';

CREATE TABLE quotes (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    number BIGINT NOT NULL,
    reference TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'accepted', 'declined')),
    currency TEXT NOT NULL,
    issue_date DATE NOT NULL,
    expires_on DATE NOT NULL,
    notes TEXT,
    subtotal BIGINT NOT NULL DEFAULT 0,
    discount BIGINT NOT NULL DEFAULT 0,
    tax BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    invoice_id BIGINT REFERENCES invoices(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX quotes_number ON quotes (tenant_id, number);
CREATE INDEX quotes_scope ON quotes (tenant_id, client_id, status);

CREATE TABLE recurring_invoices (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    -- The period in months (1 monthly, 3 quarterly, 12 yearly, or any N).
    months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 120),
    -- Period n is dated anchor + n × months, by the month-end rule of recurring tickets.
    anchor_date DATE NOT NULL,
    end_date DATE,
    -- The first period not yet invoiced.
    next_period INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    notes TEXT,
    subtotal BIGINT NOT NULL DEFAULT 0,
    discount BIGINT NOT NULL DEFAULT 0,
    tax BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX recurring_invoices_scope ON recurring_invoices (tenant_id, client_id);

ALTER TABLE invoices ADD COLUMN quote_id BIGINT REFERENCES quotes(id) ON DELETE SET NULL;
ALTER TABLE invoices ADD COLUMN recurring_id BIGINT REFERENCES recurring_invoices(id) ON DELETE SET NULL;
ALTER TABLE invoices ADD COLUMN period INTEGER;
-- One invoice per template and period, whoever generates it.
CREATE UNIQUE INDEX invoices_period ON invoices (recurring_id, period);

CREATE TABLE billing_lines (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    invoice_id BIGINT REFERENCES invoices(id) ON DELETE CASCADE,
    quote_id BIGINT REFERENCES quotes(id) ON DELETE CASCADE,
    recurring_id BIGINT REFERENCES recurring_invoices(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    tax_percent TEXT NOT NULL,
    discount_percent TEXT NOT NULL,
    amount BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    CHECK (num_nonnulls(invoice_id, quote_id, recurring_id) = 1)
);
INSERT INTO billing_lines (tenant_id, invoice_id, position, description, quantity, unit_price, tax_percent, discount_percent, amount, discount, tax)
    SELECT tenant_id, invoice_id, position, description, quantity, unit_price, tax_percent, discount_percent, amount, discount, tax FROM invoice_lines;
DROP TABLE invoice_lines;
CREATE INDEX billing_lines_invoice ON billing_lines (tenant_id, invoice_id, position) WHERE invoice_id IS NOT NULL;
CREATE INDEX billing_lines_quote ON billing_lines (tenant_id, quote_id, position) WHERE quote_id IS NOT NULL;
CREATE INDEX billing_lines_recurring ON billing_lines (tenant_id, recurring_id, position) WHERE recurring_id IS NOT NULL;

-- Amounts in thousandths of the expense's currency (every ISO 4217 minor unit fits).
CREATE TABLE client_expenses (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    spent_on DATE NOT NULL,
    vendor TEXT NOT NULL,
    category TEXT,
    amount BIGINT NOT NULL CHECK (amount >= 0),
    currency TEXT NOT NULL,
    billable BOOLEAN NOT NULL DEFAULT FALSE,
    receipt_file_id BIGINT REFERENCES client_files(id) ON DELETE SET NULL,
    notes TEXT,
    invoice_id BIGINT REFERENCES invoices(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_expenses_scope ON client_expenses (tenant_id, client_id);

ALTER TABLE ticket_replies ADD COLUMN invoice_id BIGINT REFERENCES invoices(id) ON DELETE SET NULL;
ALTER TABLE client_trips ADD COLUMN invoice_id BIGINT REFERENCES invoices(id) ON DELETE SET NULL;
-- The unbilled work of a client: billable and not yet on an invoice.
CREATE INDEX ticket_replies_unbilled ON ticket_replies (tenant_id, client_id) WHERE billable AND invoice_id IS NULL;
CREATE INDEX client_trips_unbilled ON client_trips (tenant_id, client_id) WHERE billable AND invoice_id IS NULL;
