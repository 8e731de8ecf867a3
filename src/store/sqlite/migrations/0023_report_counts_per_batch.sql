-- reason: a new complaint's report counts are added once per write batch instead of by a per-row trigger, the largest single cost of intake and import
-- Before: the insert trigger upserted a dozen report_counts rows for each new complaint
-- (~0.1 ms of CPU per complaint, 25-35 % of the raw store's insert cost). Now it only
-- copies the complaint's counted columns into report_pending, and the writer folds all
-- pending rows of a batch into report_counts with one grouped upsert right before COMMIT
-- (store/report_pending.h). The invariant between statements is
--   report_counts + the tallies of report_pending = the counts of the stored complaints,
-- and at every COMMIT report_pending is empty again, so readers (who only see committed
-- data) always read exact counts. The update, delete and clock triggers are unchanged:
-- a pending complaint that is updated before its batch commits moves counts from its
-- pending (initial) values to its new ones, exactly as if the initial tallies had been
-- added at insert time.
CREATE TABLE report_pending (
  received_at INTEGER NOT NULL,
  department_id INTEGER,
  state TEXT NOT NULL,
  urgency TEXT,
  category TEXT,
  channel TEXT NOT NULL,
  satisfaction_score INTEGER,
  resolved_at INTEGER
);

DROP TRIGGER complaints_report_insert;
CREATE TRIGGER complaints_report_insert AFTER INSERT ON complaints BEGIN
  INSERT INTO report_pending (received_at, department_id, state, urgency, category, channel,
                              satisfaction_score, resolved_at)
  VALUES (NEW.received_at, NEW.department_id, NEW.state, NEW.urgency, NEW.category, NEW.channel,
          NEW.satisfaction_score, NEW.resolved_at);
  -- Clocks cannot precede their complaint (foreign key); kept so the trigger adds exactly
  -- what the 0011 trigger added.
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN NEW.received_at / 86400000
             ELSE (CAST(strftime('%Y', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(NEW.department_id, 0), 'sla_' || c.kind, CASE WHEN c.breached_at IS NOT NULL THEN 'breached' WHEN c.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END, 1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, sla_clocks AS c
  WHERE c.complaint_id = NEW.id AND c.kind IN ('first_response', 'resolution')
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;
