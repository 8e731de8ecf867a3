-- reason: imports: link complaints to the external records they came from, so re-imports create no duplicates
CREATE TABLE external_refs (
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  complaint_id BIGINT NOT NULL REFERENCES complaints(id),
  PRIMARY KEY (source, external_id)
);
CREATE INDEX external_refs_complaint ON external_refs(complaint_id);
