-- reason: triage: suggestion models (one row per version) and the suggestions made at intake, with what the agent chose
CREATE TABLE triage_models (
  version INTEGER PRIMARY KEY,
  trained_at INTEGER NOT NULL,
  examples INTEGER NOT NULL,
  summary TEXT NOT NULL,   -- JSON: labels and example counts per field, training seconds
  model TEXT NOT NULL      -- base64 of the serialised classifiers (app/triage.h)
);

CREATE TABLE triage_suggestions (
  complaint_id INTEGER PRIMARY KEY REFERENCES complaints(id),
  model_version INTEGER NOT NULL REFERENCES triage_models(version),
  suggested_at INTEGER NOT NULL,
  suggestions TEXT NOT NULL,  -- JSON: top labels with confidence per field
  outcome TEXT                -- JSON, written at accept: suggested vs chosen per field
);
