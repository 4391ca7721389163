ALTER TABLE companies DROP COLUMN sign_in_code;
