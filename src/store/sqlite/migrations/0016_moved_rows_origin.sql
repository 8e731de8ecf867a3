-- reason: erasure reaches what a merge moved: messages and attachments remember the complaint they were written on, so erasing its customer blanks them wherever a merge took them
-- NULL: the row belongs to the complaint it is on. Set by the first merge that
-- moves the row (store/duplicate_repo.cpp) and kept by later ones.
ALTER TABLE messages ADD COLUMN origin_complaint_id INTEGER REFERENCES complaints(id);
ALTER TABLE attachments ADD COLUMN origin_complaint_id INTEGER REFERENCES complaints(id);
CREATE INDEX messages_origin ON messages(origin_complaint_id) WHERE origin_complaint_id IS NOT NULL;
CREATE INDEX attachments_origin ON attachments(origin_complaint_id)
  WHERE origin_complaint_id IS NOT NULL;
-- Rows moved before this migration: the merged complaint's `merge` event lists them.
UPDATE messages SET origin_complaint_id = (
  SELECT e.complaint_id FROM events e, json_each(e.data, '$.moved_message_ids') j
  WHERE e.action = 'merge' AND json_valid(e.data) AND j.value = messages.id)
WHERE id IN (SELECT j.value FROM events e, json_each(e.data, '$.moved_message_ids') j
             WHERE e.action = 'merge' AND json_valid(e.data));
UPDATE attachments SET origin_complaint_id = (
  SELECT e.complaint_id FROM events e, json_each(e.data, '$.moved_attachment_ids') j
  WHERE e.action = 'merge' AND json_valid(e.data) AND j.value = attachments.id)
WHERE id IN (SELECT j.value FROM events e, json_each(e.data, '$.moved_attachment_ids') j
             WHERE e.action = 'merge' AND json_valid(e.data));
