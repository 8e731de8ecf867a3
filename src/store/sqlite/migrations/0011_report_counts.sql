-- reason: maintained report counts, so the dashboard reads aggregates instead of scanning complaints
-- One row per (UTC day or month, department, dimension, value): how many complaints
-- received in that period and department have that value. Kept by the triggers
-- below in the transaction of every write to complaints and sla_clocks, so no write
-- path (intake, transitions, import, merge, erasure) can forget them. The dashboard
-- adds whole months, whole days at the edges, and reads the complaints of partial days
-- directly (store/report_repo.cpp).
--   dimension     value                                  period keyed by
--   received      ''                                     received_at
--   state, urgency, category, channel: the column ('' for NULL)
--   satisfaction  the score (rated complaints only)
--   resolved      '' (grain 'd' only)                    resolved_at
--   sla_first_response, sla_resolution: met | breached | running, one per clock
-- department_id 0 stands for unrouted. Days are days since 1970-01-01 UTC; months are
-- months since 1970-01 ((year - 1970) * 12 + month - 1).
-- The triggers upsert row by row, with no grouping (a grouped INSERT … SELECT builds a
-- temporary B-tree per firing: ~1.4 ms per intake, measured), and an update fires only
-- the triggers of the columns whose value changed.
CREATE TABLE report_counts (
  grain TEXT NOT NULL,           -- 'd' | 'm'
  period INTEGER NOT NULL,
  department_id INTEGER NOT NULL,
  dimension TEXT NOT NULL,
  value TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (grain, dimension, period, department_id, value)
) WITHOUT ROWID;

-- The complaints of partial days are read from covering indexes: a day holds
-- thousands of complaints at a million, and fetching each row (with its texts)
-- cost ~50 ms where the index range costs a few.
CREATE INDEX complaints_received_report
  ON complaints(received_at, department_id, state, urgency, category, channel, satisfaction_score);
CREATE INDEX complaints_resolved ON complaints(resolved_at, department_id);
DROP INDEX sla_clocks_complaint;
CREATE INDEX sla_clocks_complaint ON sla_clocks(complaint_id, kind, stopped_at, breached_at);

CREATE TRIGGER complaints_report_insert AFTER INSERT ON complaints BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN NEW.received_at / 86400000
             ELSE (CAST(strftime('%Y', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(NEW.department_id, 0), t.column1, t.column2, 1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g,
       (VALUES ('received', ''), ('state', NEW.state), ('urgency', COALESCE(NEW.urgency, '')),
               ('category', COALESCE(NEW.category, '')), ('channel', NEW.channel),
               ('satisfaction', CAST(NEW.satisfaction_score AS TEXT))) AS t
  WHERE t.column2 IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT 'd', NEW.resolved_at / 86400000, COALESCE(NEW.department_id, 0), 'resolved', '', 1
  WHERE NEW.resolved_at IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN NEW.received_at / 86400000
             ELSE (CAST(strftime('%Y', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(NEW.department_id, 0), 'sla_' || c.kind, CASE WHEN c.breached_at IS NOT NULL THEN 'breached' WHEN c.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END, 1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, sla_clocks AS c
  WHERE c.complaint_id = NEW.id AND c.kind IN ('first_response', 'resolution')
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER complaints_report_delete AFTER DELETE ON complaints BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN OLD.received_at / 86400000
             ELSE (CAST(strftime('%Y', OLD.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', OLD.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(OLD.department_id, 0), t.column1, t.column2, -1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g,
       (VALUES ('received', ''), ('state', OLD.state), ('urgency', COALESCE(OLD.urgency, '')),
               ('category', COALESCE(OLD.category, '')), ('channel', OLD.channel),
               ('satisfaction', CAST(OLD.satisfaction_score AS TEXT))) AS t
  WHERE t.column2 IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT 'd', OLD.resolved_at / 86400000, COALESCE(OLD.department_id, 0), 'resolved', '', -1
  WHERE OLD.resolved_at IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN OLD.received_at / 86400000
             ELSE (CAST(strftime('%Y', OLD.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', OLD.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(OLD.department_id, 0), 'sla_' || c.kind, CASE WHEN c.breached_at IS NOT NULL THEN 'breached' WHEN c.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END, -1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, sla_clocks AS c
  WHERE c.complaint_id = OLD.id AND c.kind IN ('first_response', 'resolution')
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

-- A complaint re-routed (or re-dated) moves all its counts.
CREATE TRIGGER complaints_report_move AFTER UPDATE OF department_id, received_at ON complaints
WHEN NOT (OLD.department_id IS NEW.department_id AND OLD.received_at IS NEW.received_at) BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN OLD.received_at / 86400000
             ELSE (CAST(strftime('%Y', OLD.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', OLD.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(OLD.department_id, 0), t.column1, t.column2, -1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g,
       (VALUES ('received', ''), ('state', OLD.state), ('urgency', COALESCE(OLD.urgency, '')),
               ('category', COALESCE(OLD.category, '')), ('channel', OLD.channel),
               ('satisfaction', CAST(OLD.satisfaction_score AS TEXT))) AS t
  WHERE t.column2 IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT 'd', OLD.resolved_at / 86400000, COALESCE(OLD.department_id, 0), 'resolved', '', -1
  WHERE OLD.resolved_at IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN OLD.received_at / 86400000
             ELSE (CAST(strftime('%Y', OLD.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', OLD.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(OLD.department_id, 0), 'sla_' || c.kind, CASE WHEN c.breached_at IS NOT NULL THEN 'breached' WHEN c.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END, -1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, sla_clocks AS c
  WHERE c.complaint_id = OLD.id AND c.kind IN ('first_response', 'resolution')
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN NEW.received_at / 86400000
             ELSE (CAST(strftime('%Y', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(NEW.department_id, 0), t.column1, t.column2, 1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g,
       (VALUES ('received', ''), ('state', NEW.state), ('urgency', COALESCE(NEW.urgency, '')),
               ('category', COALESCE(NEW.category, '')), ('channel', NEW.channel),
               ('satisfaction', CAST(NEW.satisfaction_score AS TEXT))) AS t
  WHERE t.column2 IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT 'd', NEW.resolved_at / 86400000, COALESCE(NEW.department_id, 0), 'resolved', '', 1
  WHERE NEW.resolved_at IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN NEW.received_at / 86400000
             ELSE (CAST(strftime('%Y', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(NEW.department_id, 0), 'sla_' || c.kind, CASE WHEN c.breached_at IS NOT NULL THEN 'breached' WHEN c.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END, 1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, sla_clocks AS c
  WHERE c.complaint_id = NEW.id AND c.kind IN ('first_response', 'resolution')
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

-- Otherwise each changed value moves one count, in both grains.
CREATE TRIGGER complaints_report_state AFTER UPDATE OF state ON complaints
WHEN OLD.state IS NOT NEW.state AND OLD.department_id IS NEW.department_id AND OLD.received_at IS NEW.received_at BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN NEW.received_at / 86400000
             ELSE (CAST(strftime('%Y', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(NEW.department_id, 0), 'state', v.value, v.delta
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, (SELECT OLD.state AS value, -1 AS delta UNION ALL SELECT NEW.state, 1) AS v
  WHERE v.value IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER complaints_report_urgency AFTER UPDATE OF urgency ON complaints
WHEN OLD.urgency IS NOT NEW.urgency AND OLD.department_id IS NEW.department_id AND OLD.received_at IS NEW.received_at BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN NEW.received_at / 86400000
             ELSE (CAST(strftime('%Y', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(NEW.department_id, 0), 'urgency', v.value, v.delta
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, (SELECT COALESCE(OLD.urgency, '') AS value, -1 AS delta UNION ALL SELECT COALESCE(NEW.urgency, ''), 1) AS v
  WHERE v.value IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER complaints_report_category AFTER UPDATE OF category ON complaints
WHEN OLD.category IS NOT NEW.category AND OLD.department_id IS NEW.department_id AND OLD.received_at IS NEW.received_at BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN NEW.received_at / 86400000
             ELSE (CAST(strftime('%Y', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(NEW.department_id, 0), 'category', v.value, v.delta
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, (SELECT COALESCE(OLD.category, '') AS value, -1 AS delta UNION ALL SELECT COALESCE(NEW.category, ''), 1) AS v
  WHERE v.value IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER complaints_report_channel AFTER UPDATE OF channel ON complaints
WHEN OLD.channel IS NOT NEW.channel AND OLD.department_id IS NEW.department_id AND OLD.received_at IS NEW.received_at BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN NEW.received_at / 86400000
             ELSE (CAST(strftime('%Y', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(NEW.department_id, 0), 'channel', v.value, v.delta
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, (SELECT OLD.channel AS value, -1 AS delta UNION ALL SELECT NEW.channel, 1) AS v
  WHERE v.value IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER complaints_report_satisfaction AFTER UPDATE OF satisfaction_score ON complaints
WHEN OLD.satisfaction_score IS NOT NEW.satisfaction_score AND OLD.department_id IS NEW.department_id AND OLD.received_at IS NEW.received_at BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN NEW.received_at / 86400000
             ELSE (CAST(strftime('%Y', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', NEW.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(NEW.department_id, 0), 'satisfaction', v.value, v.delta
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, (SELECT CAST(OLD.satisfaction_score AS TEXT) AS value, -1 AS delta UNION ALL SELECT CAST(NEW.satisfaction_score AS TEXT), 1) AS v
  WHERE v.value IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER complaints_report_resolved AFTER UPDATE OF resolved_at ON complaints
WHEN OLD.resolved_at IS NOT NEW.resolved_at AND OLD.department_id IS NEW.department_id AND OLD.received_at IS NEW.received_at BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT 'd', v.at / 86400000, COALESCE(NEW.department_id, 0), 'resolved', '', v.delta
  FROM (SELECT OLD.resolved_at AS at, -1 AS delta UNION ALL SELECT NEW.resolved_at, 1) AS v
  WHERE v.at IS NOT NULL
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER sla_clocks_report_insert AFTER INSERT ON sla_clocks BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN k.received_at / 86400000
             ELSE (CAST(strftime('%Y', k.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', k.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(k.department_id, 0), 'sla_' || NEW.kind, CASE WHEN NEW.breached_at IS NOT NULL THEN 'breached' WHEN NEW.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END, 1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, complaints AS k
  WHERE k.id = NEW.complaint_id AND NEW.kind IN ('first_response', 'resolution')
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER sla_clocks_report_delete AFTER DELETE ON sla_clocks BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN k.received_at / 86400000
             ELSE (CAST(strftime('%Y', k.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', k.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(k.department_id, 0), 'sla_' || OLD.kind, CASE WHEN OLD.breached_at IS NOT NULL THEN 'breached' WHEN OLD.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END, -1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, complaints AS k
  WHERE k.id = OLD.complaint_id AND OLD.kind IN ('first_response', 'resolution')
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER sla_clocks_report_update AFTER UPDATE OF kind, complaint_id, stopped_at, breached_at
ON sla_clocks
WHEN OLD.kind IS NOT NEW.kind OR OLD.complaint_id IS NOT NEW.complaint_id
  OR (OLD.stopped_at IS NULL) IS NOT (NEW.stopped_at IS NULL)
  OR (OLD.breached_at IS NULL) IS NOT (NEW.breached_at IS NULL) BEGIN
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN k.received_at / 86400000
             ELSE (CAST(strftime('%Y', k.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', k.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(k.department_id, 0), 'sla_' || OLD.kind, CASE WHEN OLD.breached_at IS NOT NULL THEN 'breached' WHEN OLD.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END, -1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, complaints AS k
  WHERE k.id = OLD.complaint_id AND OLD.kind IN ('first_response', 'resolution')
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
  SELECT g.grain, CASE g.grain WHEN 'd' THEN k.received_at / 86400000
             ELSE (CAST(strftime('%Y', k.received_at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                  + CAST(strftime('%m', k.received_at / 1000, 'unixepoch') AS INTEGER) - 1 END,
         COALESCE(k.department_id, 0), 'sla_' || NEW.kind, CASE WHEN NEW.breached_at IS NOT NULL THEN 'breached' WHEN NEW.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END, 1
  FROM (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g, complaints AS k
  WHERE k.id = NEW.complaint_id AND NEW.kind IN ('first_response', 'resolution')
  ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
END;

-- The counts of the complaints already stored.
INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
SELECT g.grain, CASE g.grain WHEN 'd' THEN t.at / 86400000
       ELSE (CAST(strftime('%Y', t.at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
            + CAST(strftime('%m', t.at / 1000, 'unixepoch') AS INTEGER) - 1 END,
       t.department_id, t.dimension, t.value, COUNT(*)
FROM (
  SELECT received_at AS at, COALESCE(department_id, 0) AS department_id, 'received' AS dimension,
         '' AS value FROM complaints
  UNION ALL SELECT received_at, COALESCE(department_id, 0), 'state', state FROM complaints
  UNION ALL SELECT received_at, COALESCE(department_id, 0), 'urgency', COALESCE(urgency, '') FROM complaints
  UNION ALL SELECT received_at, COALESCE(department_id, 0), 'category', COALESCE(category, '') FROM complaints
  UNION ALL SELECT received_at, COALESCE(department_id, 0), 'channel', channel FROM complaints
  UNION ALL SELECT received_at, COALESCE(department_id, 0), 'satisfaction', CAST(satisfaction_score AS TEXT)
    FROM complaints WHERE satisfaction_score IS NOT NULL
  UNION ALL SELECT x.received_at, COALESCE(x.department_id, 0), 'sla_' || c.kind, CASE WHEN c.breached_at IS NOT NULL THEN 'breached' WHEN c.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END
    FROM sla_clocks AS c JOIN complaints AS x ON x.id = c.complaint_id
    WHERE c.kind IN ('first_response', 'resolution')
) AS t, (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g
WHERE 1 GROUP BY 1, 2, 3, 4, 5;

INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
SELECT 'd', resolved_at / 86400000, COALESCE(department_id, 0), 'resolved', '', COUNT(*)
FROM complaints WHERE resolved_at IS NOT NULL GROUP BY 2, 3;
