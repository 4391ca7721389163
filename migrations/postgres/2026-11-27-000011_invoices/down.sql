DROP TABLE payments;
DROP TABLE invoice_lines;
DROP TABLE invoices;
ALTER TABLE companies DROP COLUMN invoice_prefix;
ALTER TABLE clients DROP COLUMN currency;
ALTER TABLE clients DROP COLUMN net_terms;
