-- reason: maintained report counts, so the dashboard reads aggregates instead of scanning complaints
-- The PostgreSQL twin of the SQLite migration 0011 (see its comments for the meaning of
-- each dimension). Here the tallies of a row are SQL functions shared by the triggers and
-- the backfill.
CREATE TABLE report_counts (
  grain TEXT NOT NULL,           -- 'd' | 'm'
  period BIGINT NOT NULL,
  department_id BIGINT NOT NULL, -- 0: unrouted
  dimension TEXT NOT NULL,
  value TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (grain, dimension, period, department_id, value)
);

-- The complaints of partial days are read from covering indexes (see the SQLite twin).
CREATE INDEX complaints_received_report ON complaints(received_at)
  INCLUDE (department_id, state, urgency, category, channel, satisfaction_score);
CREATE INDEX complaints_resolved ON complaints(resolved_at, department_id);
DROP INDEX sla_clocks_complaint;
CREATE INDEX sla_clocks_complaint ON sla_clocks(complaint_id, kind) INCLUDE (stopped_at, breached_at);

-- Days since 1970-01-01 UTC ('d') or months since 1970-01 ('m') of an epoch-ms instant.
CREATE FUNCTION report_period(grain TEXT, at_ms BIGINT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE grain WHEN 'd' THEN at_ms / 86400000
         ELSE ((EXTRACT(YEAR FROM u) - 1970) * 12 + EXTRACT(MONTH FROM u) - 1)::BIGINT END
  FROM (SELECT to_timestamp(at_ms / 1000.0) AT TIME ZONE 'UTC' AS u) AS s
$$;

CREATE FUNCTION report_clock_status(stopped_at BIGINT, breached_at BIGINT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN breached_at IS NOT NULL THEN 'breached'
              WHEN stopped_at IS NOT NULL THEN 'met' ELSE 'running' END
$$;

-- The rows a complaint adds to report_counts (sign 1) or takes away (sign -1),
-- its SLA clocks included.
CREATE FUNCTION report_complaint_tallies(c complaints, sign BIGINT)
RETURNS TABLE (grain TEXT, period BIGINT, department_id BIGINT, dimension TEXT, value TEXT, delta BIGINT)
LANGUAGE sql STABLE AS $$
  SELECT g.grain, report_period(g.grain, c.received_at), COALESCE(c.department_id, 0),
         t.dimension, t.value, sign
  FROM (VALUES ('d'), ('m')) AS g(grain),
       (VALUES ('received', ''), ('state', c.state), ('urgency', COALESCE(c.urgency, '')),
               ('category', COALESCE(c.category, '')), ('channel', c.channel),
               ('satisfaction', c.satisfaction_score::TEXT)) AS t(dimension, value)
  WHERE t.value IS NOT NULL
  UNION ALL
  SELECT 'd', c.resolved_at / 86400000, COALESCE(c.department_id, 0), 'resolved', '', sign
  WHERE c.resolved_at IS NOT NULL
  UNION ALL
  SELECT g.grain, report_period(g.grain, c.received_at), COALESCE(c.department_id, 0),
         'sla_' || k.kind, report_clock_status(k.stopped_at, k.breached_at), sign
  FROM (VALUES ('d'), ('m')) AS g(grain), sla_clocks AS k
  WHERE k.complaint_id = c.id AND k.kind IN ('first_response', 'resolution')
$$;

-- The rows one SLA clock adds or takes away, keyed by its complaint's day and department.
CREATE FUNCTION report_clock_tallies(k sla_clocks, sign BIGINT)
RETURNS TABLE (grain TEXT, period BIGINT, department_id BIGINT, dimension TEXT, value TEXT, delta BIGINT)
LANGUAGE sql STABLE AS $$
  SELECT g.grain, report_period(g.grain, c.received_at), COALESCE(c.department_id, 0),
         'sla_' || k.kind, report_clock_status(k.stopped_at, k.breached_at), sign
  FROM (VALUES ('d'), ('m')) AS g(grain), complaints AS c
  WHERE c.id = k.complaint_id AND k.kind IN ('first_response', 'resolution')
$$;

CREATE FUNCTION complaints_report_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_counts AS r (grain, period, department_id, dimension, value, n)
    SELECT t.grain, t.period, t.department_id, t.dimension, t.value, SUM(t.delta)
    FROM (SELECT * FROM report_complaint_tallies(NEW, 1)) AS t
    GROUP BY 1, 2, 3, 4, 5 HAVING SUM(t.delta) <> 0
    ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = r.n + EXCLUDED.n;
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

CREATE TRIGGER complaints_report_counts AFTER INSERT OR DELETE ON complaints
FOR EACH ROW EXECUTE FUNCTION complaints_report_counts();
-- Every update writes all columns; only a changed value moves counts.
CREATE TRIGGER complaints_report_counts_update
AFTER UPDATE OF state, urgency, category, channel, department_id, received_at, resolved_at,
                satisfaction_score ON complaints
FOR EACH ROW WHEN (
  (OLD.state, OLD.urgency, OLD.category, OLD.channel, OLD.department_id, OLD.received_at,
   OLD.resolved_at, OLD.satisfaction_score)
  IS DISTINCT FROM
  (NEW.state, NEW.urgency, NEW.category, NEW.channel, NEW.department_id, NEW.received_at,
   NEW.resolved_at, NEW.satisfaction_score))
EXECUTE FUNCTION complaints_report_counts();

CREATE FUNCTION sla_clocks_report_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_counts AS r (grain, period, department_id, dimension, value, n)
    SELECT t.grain, t.period, t.department_id, t.dimension, t.value, SUM(t.delta)
    FROM (SELECT * FROM report_clock_tallies(NEW, 1)) AS t
    GROUP BY 1, 2, 3, 4, 5 HAVING SUM(t.delta) <> 0
    ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = r.n + EXCLUDED.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_counts AS r (grain, period, department_id, dimension, value, n)
    SELECT t.grain, t.period, t.department_id, t.dimension, t.value, SUM(t.delta)
    FROM (SELECT * FROM report_clock_tallies(OLD, -1)) AS t
    GROUP BY 1, 2, 3, 4, 5 HAVING SUM(t.delta) <> 0
    ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = r.n + EXCLUDED.n;
  ELSE
    INSERT INTO report_counts AS r (grain, period, department_id, dimension, value, n)
    SELECT t.grain, t.period, t.department_id, t.dimension, t.value, SUM(t.delta)
    FROM (SELECT * FROM report_clock_tallies(NEW, 1) UNION ALL SELECT * FROM report_clock_tallies(OLD, -1)) AS t
    GROUP BY 1, 2, 3, 4, 5 HAVING SUM(t.delta) <> 0
    ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = r.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER sla_clocks_report_counts AFTER INSERT OR DELETE ON sla_clocks
FOR EACH ROW EXECUTE FUNCTION sla_clocks_report_counts();
CREATE TRIGGER sla_clocks_report_counts_update
AFTER UPDATE OF kind, complaint_id, stopped_at, breached_at ON sla_clocks
FOR EACH ROW WHEN (
  (OLD.kind, OLD.complaint_id, OLD.stopped_at IS NULL, OLD.breached_at IS NULL)
  IS DISTINCT FROM (NEW.kind, NEW.complaint_id, NEW.stopped_at IS NULL, NEW.breached_at IS NULL))
EXECUTE FUNCTION sla_clocks_report_counts();

-- The counts of the complaints already stored.
INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
SELECT t.grain, t.period, t.department_id, t.dimension, t.value, SUM(t.delta)
FROM complaints AS c, LATERAL report_complaint_tallies(c, 1) AS t
GROUP BY 1, 2, 3, 4, 5;
