-- reason: new search-index rows wait in complaint_search_pending and enter the FTS5 index once per write batch, because FTS5 flushed its pending terms at every statement savepoint (a fifth of import time)
-- FTS5 (SQLite 3.40) writes its in-memory pending terms to disk as a new segment
-- whenever a statement opens a savepoint inside a transaction that has already
-- written the index: every FK-checked insert or trigger statement after the first
-- complaint of a batch did so, so a batch of 5,000 imported complaints wrote about
-- 10,000 one-complaint segments and then merged them (perf: 20 % of `redress import`
-- in sqlite3VtabSavepoint alone). Now the repositories write the complete index row a
-- complaint will have into this plain table, and the writer moves all of them into
-- complaint_search right before COMMIT (store/search_index.h,
-- kFoldSearchPendingSqlite), after which the table is empty again. Readers only see
-- committed data, so they never see an index row missing. `replaces` is 1 when the
-- complaint may already have an index row (a message added, a rebuild), which the
-- fold deletes first.
CREATE TABLE complaint_search_pending (
  complaint_id INTEGER PRIMARY KEY,
  subject_terms TEXT NOT NULL,
  body_terms TEXT NOT NULL,
  replaces INTEGER NOT NULL
);
