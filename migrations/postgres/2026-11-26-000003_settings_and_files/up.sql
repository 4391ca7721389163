-- Tenant settings: the default mileage rate for trips, in mills (1/1000 of the currency).
ALTER TABLE companies ADD COLUMN mileage_rate BIGINT NOT NULL DEFAULT 670 CHECK (mileage_rate >= 0);
-- Files are stored under a random name; the name the user uploaded is kept for download.
ALTER TABLE client_files ADD COLUMN original_name TEXT NOT NULL DEFAULT '';
