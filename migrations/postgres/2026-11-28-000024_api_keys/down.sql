DROP TABLE api_key_hits;
DROP TABLE api_keys;
