DROP TABLE search_deferred;
