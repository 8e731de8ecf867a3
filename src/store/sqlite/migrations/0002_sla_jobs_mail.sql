-- reason: SLA clocks on business calendars, the durable job runner, outbox delivery state, staff e-mail addresses
CREATE TABLE calendars (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  time_zone TEXT NOT NULL,
  working_hours TEXT NOT NULL,       -- JSON: {"monday": ["09:00-17:00"], …}
  holidays TEXT NOT NULL DEFAULT '[]' -- JSON array of "YYYY-MM-DD" local dates
);

CREATE TABLE sla_policies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  urgency TEXT,
  category TEXT,
  first_response_ms INTEGER,
  resolution_ms INTEGER,
  state_targets TEXT NOT NULL DEFAULT '{}', -- JSON: {"assessing": ms, …}
  warning_percent INTEGER NOT NULL DEFAULT 80,
  director_percent INTEGER NOT NULL DEFAULT 200,
  calendar_id INTEGER REFERENCES calendars(id)
);

-- One row per running (or finished) SLA clock of a complaint. Written in the
-- transaction that registers the complaint or moves it to a new state.
CREATE TABLE sla_clocks (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  kind TEXT NOT NULL,                 -- first_response | resolution | state
  state TEXT,                         -- for kind = state: the state it times
  policy_id INTEGER,
  target_ms INTEGER NOT NULL,
  calendar_id INTEGER,
  started_at INTEGER NOT NULL,
  warn_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  director_at INTEGER NOT NULL,
  paused_at INTEGER,                  -- set while on_hold
  paused_ms INTEGER NOT NULL DEFAULT 0, -- total wall time spent paused
  stopped_at INTEGER,                 -- met (or ended) at
  warned_at INTEGER,
  breached_at INTEGER,
  director_notified_at INTEGER
);
CREATE INDEX sla_clocks_complaint ON sla_clocks(complaint_id, kind);

-- Durable jobs: claimed with a lease, retried with backoff, dead after N attempts.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending', -- pending | done | dead
  due_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX jobs_due ON jobs(state, due_at);

ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'; -- pending | sent | dead
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_state ON outbox(state, id);
-- Rows queued before this migration get their delivery job.
INSERT INTO jobs (kind, payload, due_at, created_at)
  SELECT 'mail.deliver', '{"outbox_id":' || id || '}', created_at, created_at FROM outbox
  WHERE sent_at IS NULL;

ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
