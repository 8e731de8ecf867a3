-- reason: warning records and hotspots read founded complaints per department and object counts per window from indexes
-- A department's warning record (issue 5 item 5) lists the founded complaints of its
-- subtree in a period: (department_id, validity, received_at) answers it by index
-- range per department. The hotspot test (item 6) counts complaints per object
-- reference in the recent and baseline windows on every dashboard load: the covering
-- index (received_at, object_ref, department_id) serves that count from the index
-- alone, without fetching a complaint row (with its texts) per complaint.
CREATE INDEX complaints_founded ON complaints(department_id, validity, received_at);
CREATE INDEX complaints_received_object ON complaints(received_at, object_ref, department_id);
