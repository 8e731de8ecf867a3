// Folding the report counts of new complaints once per write batch.
//
// A new complaint's insert trigger (migration 0023) copies its counted columns
// into report_pending instead of upserting a dozen report_counts rows; the
// statements below, which the stores run as GroupCommitWriter's
// Options::before_commit and after their migrations, add the tallies of every
// pending row to report_counts with one grouped upsert and empty
// report_pending. Between statements of a write transaction
//   report_counts + tallies(report_pending) = the counts of the stored complaints;
// at every COMMIT report_pending is empty, so readers (who only see committed
// data) read exact counts. The tallies are those of the 0011 insert trigger
// without the SLA clocks, which cannot precede their complaint and are still
// counted by their own triggers.
#pragma once

namespace redress::store {

// SQLite: no LATERAL, so one SELECT per dimension.
inline constexpr const char* kFoldReportPendingSqlite = R"sql(
INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
SELECT g.grain,
       CASE g.grain WHEN 'd' THEN t.at / 86400000
            ELSE (CAST(strftime('%Y', t.at / 1000, 'unixepoch') AS INTEGER) - 1970) * 12
                 + CAST(strftime('%m', t.at / 1000, 'unixepoch') AS INTEGER) - 1 END,
       t.department_id, t.dimension, t.value, COUNT(*)
FROM (SELECT received_at AS at, COALESCE(department_id, 0) AS department_id,
             'received' AS dimension, '' AS value FROM report_pending
      UNION ALL SELECT received_at, COALESCE(department_id, 0), 'state', state FROM report_pending
      UNION ALL SELECT received_at, COALESCE(department_id, 0), 'urgency', COALESCE(urgency, '')
                FROM report_pending
      UNION ALL SELECT received_at, COALESCE(department_id, 0), 'category', COALESCE(category, '')
                FROM report_pending
      UNION ALL SELECT received_at, COALESCE(department_id, 0), 'channel', channel FROM report_pending
      UNION ALL SELECT received_at, COALESCE(department_id, 0), 'satisfaction',
                       CAST(satisfaction_score AS TEXT)
                FROM report_pending WHERE satisfaction_score IS NOT NULL) AS t,
     (SELECT 'd' AS grain UNION ALL SELECT 'm') AS g
WHERE 1
GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
INSERT INTO report_counts (grain, period, department_id, dimension, value, n)
SELECT 'd', resolved_at / 86400000, COALESCE(department_id, 0), 'resolved', '', COUNT(*)
FROM report_pending WHERE resolved_at IS NOT NULL
GROUP BY 2, 3
ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = n + excluded.n;
DELETE FROM report_pending;
)sql";

// PostgreSQL: one statement (one round trip), the pending rows taken by the
// DELETE itself; report_period is migration 0011's.
inline constexpr const char* kFoldReportPendingPostgres = R"sql(
WITH p AS (DELETE FROM report_pending RETURNING *)
INSERT INTO report_counts AS r (grain, period, department_id, dimension, value, n)
SELECT t.grain, t.period, t.department_id, t.dimension, t.value, COUNT(*)
FROM (SELECT g.grain, report_period(g.grain, p.received_at) AS period,
             COALESCE(p.department_id, 0) AS department_id, v.dimension, v.value
      FROM p, (VALUES ('d'), ('m')) AS g(grain),
           LATERAL (VALUES ('received', ''), ('state', p.state),
                           ('urgency', COALESCE(p.urgency, '')),
                           ('category', COALESCE(p.category, '')), ('channel', p.channel),
                           ('satisfaction', p.satisfaction_score::TEXT)) AS v(dimension, value)
      WHERE v.value IS NOT NULL
      UNION ALL
      SELECT 'd', p.resolved_at / 86400000, COALESCE(p.department_id, 0), 'resolved', ''
      FROM p WHERE p.resolved_at IS NOT NULL) AS t
GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (grain, dimension, period, department_id, value) DO UPDATE SET n = r.n + EXCLUDED.n
)sql";

}  // namespace redress::store
