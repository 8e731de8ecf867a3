-- reason: a new complaint's report counts are added once per write batch instead of by a per-row trigger, the largest single cost of intake and import
-- PostgreSQL dialect of sqlite/migrations/0023_report_counts_per_batch.sql (see its
-- comments). The insert branch of complaints_report_counts() now copies the counted
-- columns into report_pending; the writer folds them before COMMIT
-- (store/report_pending.h). report_pending is UNLOGGED: it is empty at every commit, so
-- there is nothing to log, and a crash can only truncate an already empty table.
CREATE UNLOGGED TABLE report_pending (
  received_at BIGINT NOT NULL,
  department_id BIGINT,
  state TEXT NOT NULL,
  urgency TEXT,
  category TEXT,
  channel TEXT NOT NULL,
  satisfaction_score INTEGER,
  resolved_at BIGINT
);

CREATE OR REPLACE FUNCTION complaints_report_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_pending (received_at, department_id, state, urgency, category, channel,
                                satisfaction_score, resolved_at)
    VALUES (NEW.received_at, NEW.department_id, NEW.state, NEW.urgency, NEW.category,
            NEW.channel, NEW.satisfaction_score, NEW.resolved_at);
    -- Clocks cannot precede their complaint (foreign key); kept so the trigger adds
    -- exactly what the 0011 trigger added.
    IF EXISTS (SELECT 1 FROM sla_clocks WHERE complaint_id = NEW.id) THEN
      INSERT INTO report_counts AS r (grain, period, department_id, dimension, value, n)
      SELECT t.grain, t.period, t.department_id, t.dimension, t.value, SUM(t.delta)
      FROM (SELECT * FROM report_complaint_tallies(NEW, 1)) AS t
      WHERE t.dimension LIKE 'sla\_%'
      GROUP BY 1, 2, 3, 4, 5 HAVING SUM(t.delta) <> 0
      ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = r.n + EXCLUDED.n;
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_counts AS r (grain, period, department_id, dimension, value, n)
    SELECT t.grain, t.period, t.department_id, t.dimension, t.value, SUM(t.delta)
    FROM (SELECT * FROM report_complaint_tallies(OLD, -1)) AS t
    GROUP BY 1, 2, 3, 4, 5 HAVING SUM(t.delta) <> 0
    ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = r.n + EXCLUDED.n;
  ELSE
    INSERT INTO report_counts AS r (grain, period, department_id, dimension, value, n)
    SELECT t.grain, t.period, t.department_id, t.dimension, t.value, SUM(t.delta)
    FROM (SELECT * FROM report_complaint_tallies(NEW, 1) UNION ALL SELECT * FROM report_complaint_tallies(OLD, -1)) AS t
    GROUP BY 1, 2, 3, 4, 5 HAVING SUM(t.delta) <> 0
    ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = r.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;
