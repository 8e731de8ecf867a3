-- reason: uploaded imports (POST /api/v1/imports): each run's progress, and the rows it rejected with why
CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY,
  format TEXT NOT NULL,              -- cfpb (the ingest adapter)
  filename TEXT NOT NULL DEFAULT '', -- as uploaded, for display
  file_path TEXT NOT NULL,           -- the stored upload the run reads
  bytes_total INTEGER NOT NULL,
  bytes_read INTEGER NOT NULL DEFAULT 0,  -- of the file, at the last committed batch
  state TEXT NOT NULL,               -- queued, running, done, failed
  rows_read INTEGER NOT NULL DEFAULT 0,  -- data rows committed (the resume point)
  imported INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,    -- already imported earlier
  rejected INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
);
CREATE INDEX import_runs_state ON import_runs(state, id);

CREATE TABLE import_rejects (
  run_id INTEGER NOT NULL REFERENCES import_runs(id),
  row_number INTEGER NOT NULL,  -- in the file, the header is row 1
  field TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (run_id, row_number)
);
