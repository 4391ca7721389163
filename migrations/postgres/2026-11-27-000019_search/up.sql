-- Global search: one document per live record (title, text), kept by triggers that
-- the application installs from its resource registry at start-up, so the index
-- changes in the transaction of the change whoever writes. Words are split on
-- anything but letters and digits (as SQLite's FTS5 does), then a GIN index.
CREATE TABLE search_docs (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    words tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, regexp_replace(lower(title || ' ' || body), '[^[:alnum:]]+', ' ', 'g'))
    ) STORED,
    UNIQUE (kind, record_id)
);
CREATE INDEX search_docs_tenant ON search_docs (tenant_id);
CREATE INDEX search_docs_words ON search_docs USING GIN (words);
CREATE TABLE search_meta (id INTEGER PRIMARY KEY CHECK (id = 1), signature TEXT NOT NULL);
