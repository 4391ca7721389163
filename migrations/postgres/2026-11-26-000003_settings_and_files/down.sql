ALTER TABLE client_files DROP COLUMN original_name;
ALTER TABLE companies DROP COLUMN mileage_rate;
