-- reason: queues sorted by due time: the earliest due time of a running SLA clock, kept on the complaint
ALTER TABLE complaints ADD COLUMN due_at BIGINT;
UPDATE complaints SET due_at = (
  SELECT MIN(k.due_at) FROM sla_clocks k
  WHERE k.complaint_id = complaints.id AND k.stopped_at IS NULL AND k.paused_at IS NULL);
CREATE INDEX complaints_due ON complaints(due_at, id);
CREATE INDEX complaints_queue ON complaints(department_id, state, due_at, id);
