-- A bulk write (an import) defers the full-text half of the search index to its end,
-- in the same transaction: FTS5 flushes its pending words at every statement that
-- fires a trigger, so a row at a time cost three times the row. While the row with
-- doc_id 0 is here (only inside such a transaction, so no other connection sees it),
-- the triggers list new documents here instead; the bulk write indexes them at once.
CREATE TABLE search_deferred (doc_id INTEGER PRIMARY KEY);
