DROP INDEX client_trips_unbilled;
DROP INDEX ticket_replies_unbilled;
ALTER TABLE client_trips DROP COLUMN invoice_id;
ALTER TABLE ticket_replies DROP COLUMN invoice_id;
DROP TABLE client_expenses;
CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
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
INSERT INTO invoice_lines (tenant_id, invoice_id, position, description, quantity, unit_price, tax_percent, discount_percent, amount, discount, tax)
    SELECT tenant_id, invoice_id, position, description, quantity, unit_price, tax_percent, discount_percent, amount, discount, tax FROM billing_lines WHERE invoice_id IS NOT NULL;
CREATE INDEX invoice_lines_invoice ON invoice_lines (tenant_id, invoice_id, position);
DROP TABLE billing_lines;
DROP INDEX invoices_period;
ALTER TABLE invoices DROP COLUMN period;
ALTER TABLE invoices DROP COLUMN recurring_id;
ALTER TABLE invoices DROP COLUMN quote_id;
DROP TABLE recurring_invoices;
DROP TABLE quotes;
ALTER TABLE companies DROP COLUMN quote_prefix;
ALTER TABLE companies DROP COLUMN tax_id;
ALTER TABLE companies DROP COLUMN billing_address;
