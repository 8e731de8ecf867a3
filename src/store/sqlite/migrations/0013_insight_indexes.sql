-- reason: warning records and hotspots read founded complaints per department and counts per object and cause from indexes
-- A department's warning record (issue 5 item 5) lists the founded complaints of its
-- subtree in a period: (department_id, validity, received_at) answers it by an index
-- range per department. The hotspot test (item 6) counts the objects and root causes of
-- the recent window that have enough complaints to be flagged (a range of the covering
-- index (received_at, object_ref, department_id), no complaint row fetched), then looks
-- up each one's baseline count by (object_ref, received_at) or (family, description,
-- complaint_id) — never reading the baseline's other objects and causes, which at a
-- million complaints are hundreds of thousands of one-offs.
CREATE INDEX complaints_founded ON complaints(department_id, validity, received_at);
CREATE INDEX complaints_received_object ON complaints(received_at, object_ref, department_id);
CREATE INDEX complaints_object ON complaints(object_ref, received_at);
CREATE INDEX causes_key ON causes(family, description, complaint_id);
