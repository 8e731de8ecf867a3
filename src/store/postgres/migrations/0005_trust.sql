-- reason: trust: idle session expiry and revocation, log-in lockout and public rate limits shared by every instance, personal data erasure that keeps the audit chain verifiable
-- Sessions end after 12 hours (expires_at) or after an idle period (last_seen_at).
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed log-ins per user name: a lockout every instance on this database sees.
CREATE TABLE login_failures (
  username TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);

-- Fixed-window request counters for the public endpoints (per IP, per tracking code).
CREATE TABLE rate_limits (
  key TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (key, window_start)
);

ALTER TABLE customers ADD COLUMN erased_at BIGINT;

-- Hash version 2 chains sha256(data) instead of data, so erasure can redact an event's
-- data and the chain still verifies. Rows before this migration stay version 1.
ALTER TABLE events ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;
CREATE FUNCTION events_redact_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.data::jsonb ->> 'erased' = 'true' AND NEW.id = OLD.id
     AND NEW.complaint_id = OLD.complaint_id AND NEW.at = OLD.at
     AND NEW.actor_kind = OLD.actor_kind AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
     AND NEW.action = OLD.action AND NEW.from_state IS NOT DISTINCT FROM OLD.from_state
     AND NEW.to_state IS NOT DISTINCT FROM OLD.to_state AND NEW.prev_hash = OLD.prev_hash
     AND NEW.hash = OLD.hash AND NEW.hash_version = OLD.hash_version THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'events are append-only (erasure may only redact their data)'
    USING ERRCODE = 'restrict_violation';
END;
$$;
DROP TRIGGER events_no_update ON events;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION events_redact_only();
