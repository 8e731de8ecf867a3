-- reason: erasure reaches what a merge moved: messages and attachments remember the complaint they were written on, so erasing its customer blanks them wherever a merge took them
ALTER TABLE messages ADD COLUMN origin_complaint_id BIGINT REFERENCES complaints(id);
ALTER TABLE attachments ADD COLUMN origin_complaint_id BIGINT REFERENCES complaints(id);
CREATE INDEX messages_origin ON messages(origin_complaint_id) WHERE origin_complaint_id IS NOT NULL;
CREATE INDEX attachments_origin ON attachments(origin_complaint_id)
  WHERE origin_complaint_id IS NOT NULL;
-- Rows moved before this migration: the merged complaint's `merge` event lists them.
WITH merges AS (
  SELECT complaint_id, CASE WHEN action = 'merge' THEN data::jsonb END AS d FROM events
  WHERE action = 'merge'
)
UPDATE messages m SET origin_complaint_id = moved.complaint_id
FROM (SELECT complaint_id, jsonb_array_elements_text(d -> 'moved_message_ids')::bigint AS id
      FROM merges WHERE jsonb_typeof(d -> 'moved_message_ids') = 'array') moved
WHERE m.id = moved.id;
WITH merges AS (
  SELECT complaint_id, CASE WHEN action = 'merge' THEN data::jsonb END AS d FROM events
  WHERE action = 'merge'
)
UPDATE attachments a SET origin_complaint_id = moved.complaint_id
FROM (SELECT complaint_id, jsonb_array_elements_text(d -> 'moved_attachment_ids')::bigint AS id
      FROM merges WHERE jsonb_typeof(d -> 'moved_attachment_ids') = 'array') moved
WHERE a.id = moved.id;
