DROP TABLE secret_history;
ALTER TABLE client_credentials DROP COLUMN otp_secret;
