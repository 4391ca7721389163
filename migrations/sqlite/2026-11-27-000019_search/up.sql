-- Global search: one document per live record (title, text), kept by triggers that
-- the application installs from its resource registry at start-up, so the index
-- changes in the transaction of the change whoever writes. FTS5 holds the words.
CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (kind, record_id)
);
CREATE INDEX search_docs_tenant ON search_docs (tenant_id);
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
-- Which generated triggers built the index (a change rebuilds it).
CREATE TABLE search_meta (id INTEGER PRIMARY KEY CHECK (id = 1), signature TEXT NOT NULL);
