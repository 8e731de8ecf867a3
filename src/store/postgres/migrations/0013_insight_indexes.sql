-- reason: warning records and hotspots read founded complaints per department and counts per object and cause from indexes
-- The PostgreSQL twin of the SQLite migration 0013 (see its comments).
CREATE INDEX complaints_founded ON complaints(department_id, validity, received_at);
CREATE INDEX complaints_received_object ON complaints(received_at) INCLUDE (object_ref, department_id);
CREATE INDEX complaints_object ON complaints(object_ref, received_at);
CREATE INDEX causes_key ON causes(family, description, complaint_id);
