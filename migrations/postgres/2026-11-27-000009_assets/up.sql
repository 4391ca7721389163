-- Assets documented as the service desk needs them: make, model, serial, OS, addresses,
-- lifecycle status, warranty, who uses it and on which network.
ALTER TABLE assets ADD COLUMN make TEXT;
ALTER TABLE assets ADD COLUMN model TEXT;
ALTER TABLE assets ADD COLUMN serial TEXT;
ALTER TABLE assets ADD COLUMN os TEXT;
ALTER TABLE assets ADD COLUMN ip_address TEXT;
ALTER TABLE assets ADD COLUMN mac_address TEXT;
ALTER TABLE assets ADD COLUMN purchase_date DATE;
ALTER TABLE assets ADD COLUMN warranty_expiry DATE;
ALTER TABLE assets ADD COLUMN contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL;
ALTER TABLE assets ADD COLUMN network_id BIGINT REFERENCES client_networks(id) ON DELETE SET NULL;
ALTER TABLE assets ADD COLUMN notes TEXT;
