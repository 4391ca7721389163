DROP INDEX companies_sign_in_code;
ALTER TABLE companies DROP COLUMN sign_in_code;
