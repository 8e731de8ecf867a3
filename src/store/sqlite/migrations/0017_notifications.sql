-- reason: in-app notifications: what a staff user must hear of (assignments, approvals waiting, escalations, SLA warnings), written in the transaction of the event that causes them
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  complaint_id INTEGER REFERENCES complaints(id),
  kind TEXT NOT NULL,          -- assignment, department_assignment, approval_waiting, escalation, sla_warning
  params TEXT NOT NULL,        -- JSON object: what the text needs (tracking_code, level, clock, ...)
  created_at INTEGER NOT NULL,
  read_at INTEGER              -- NULL while unread
);
-- a user's list, newest first (keyset on id)
CREATE INDEX notifications_user ON notifications (user_id, id);
-- the header's unread count reads only the unread rows
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;
