DROP TABLE user_clients;
ALTER TABLE users DROP COLUMN restricted;
ALTER TABLE companies DROP COLUMN disabled_features;
