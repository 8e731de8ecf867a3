-- reason: trust: idle session expiry and revocation, log-in lockout and public rate limits shared by every instance, personal data erasure that keeps the audit chain verifiable
-- Sessions end after 12 hours (expires_at) or after an idle period (last_seen_at).
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed log-ins per user name: a lockout every instance on this database sees.
CREATE TABLE login_failures (
  username TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);

-- Fixed-window request counters for the public endpoints (per IP, per tracking code).
CREATE TABLE rate_limits (
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);

ALTER TABLE customers ADD COLUMN erased_at INTEGER;

-- Hash version 2 chains sha256(data) instead of data, so erasure can redact an event's
-- data and the chain still verifies. Rows before this migration stay version 1.
ALTER TABLE events ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;
DROP TRIGGER events_no_update;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  -- IFNULL: a NULL comparison (no "erased" key) must refuse, not let the update through.
  WHEN NOT IFNULL(json_valid(NEW.data) AND json_extract(NEW.data, '$.erased') = 1
            AND NEW.id = OLD.id AND NEW.complaint_id = OLD.complaint_id AND NEW.at = OLD.at
            AND NEW.actor_kind = OLD.actor_kind AND NEW.actor_id IS OLD.actor_id
            AND NEW.action = OLD.action AND NEW.from_state IS OLD.from_state
            AND NEW.to_state IS OLD.to_state AND NEW.prev_hash = OLD.prev_hash
            AND NEW.hash = OLD.hash AND NEW.hash_version = OLD.hash_version, 0)
  BEGIN SELECT RAISE(ABORT, 'events are append-only (erasure may only redact their data)'); END;
