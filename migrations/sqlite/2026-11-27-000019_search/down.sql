DROP TABLE search_meta;
DROP TABLE search_fts;
DROP TABLE search_docs;
