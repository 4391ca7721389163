-- Homes for what other tools' exports carry and mspdesk dropped: a client's notes and
-- its alert (IT Glue's quick notes and alert), a site's second address line and
-- country, a contact's mobile number, site and notes, an asset's host name and
-- network interfaces.
ALTER TABLE clients ADD COLUMN notes TEXT;
ALTER TABLE clients ADD COLUMN alert TEXT;
ALTER TABLE client_locations ADD COLUMN address_line_2 TEXT;
ALTER TABLE client_locations ADD COLUMN country TEXT;
ALTER TABLE client_contacts ADD COLUMN mobile TEXT;
ALTER TABLE client_contacts ADD COLUMN location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL;
ALTER TABLE client_contacts ADD COLUMN notes TEXT;
ALTER TABLE assets ADD COLUMN hostname TEXT;
ALTER TABLE assets ADD COLUMN interfaces TEXT;
