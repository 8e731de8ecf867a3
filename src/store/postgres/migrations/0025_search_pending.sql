-- reason: the SQLite store's search index now enters its new rows once per write batch (sqlite/migrations/0025); PostgreSQL's GIN index keeps writing in place
-- PostgreSQL twin of sqlite/migrations/0025_search_pending.sql, kept so both
-- dialects share migration numbers. GIN has no counterpart of FTS5's
-- flush-at-every-savepoint (its fastupdate pending list is per index, not per
-- savepoint), so complaint_search is still written in the statement that adds the
-- text; this migration only records that on the table.
COMMENT ON TABLE complaint_search IS
  'One row per complaint, written in the transaction that adds the text (store/search_index.h)';
