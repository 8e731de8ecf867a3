-- reason: warning records and hotspots read founded complaints per department and object counts per window from indexes
-- The PostgreSQL twin of the SQLite migration 0013 (see its comments).
CREATE INDEX complaints_founded ON complaints(department_id, validity, received_at);
CREATE INDEX complaints_received_object ON complaints(received_at) INCLUDE (object_ref, department_id);
