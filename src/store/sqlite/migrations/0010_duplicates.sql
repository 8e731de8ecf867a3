-- reason: likely duplicates: MinHash signatures of intake texts, their LSH band keys, and the flags raised at intake
CREATE TABLE duplicate_signatures (
  complaint_id INTEGER PRIMARY KEY REFERENCES complaints(id),
  received_at INTEGER NOT NULL,
  customer_key TEXT NOT NULL,  -- SHA-256 of the normalised e-mail or phone; '' when none
  object_key TEXT NOT NULL,    -- normalised object type and reference; '' when none
  signature TEXT NOT NULL      -- hex of the min-hashes (triage/near_duplicates.h)
);
-- The lookup starts from the complaints of the same customer or object (few), not from
-- shared bands: near-identical texts are common (every "my parcel is late"), and a band
-- probe would then return a large part of the table.
CREATE INDEX duplicate_signatures_customer ON duplicate_signatures(customer_key, received_at);
CREATE INDEX duplicate_signatures_object ON duplicate_signatures(object_key, received_at);

-- One row per band of a signature: a candidate must share at least one band.
CREATE TABLE duplicate_bands (
  band_key INTEGER NOT NULL,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  PRIMARY KEY (complaint_id, band_key)
) WITHOUT ROWID;

CREATE TABLE duplicate_flags (
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),  -- the later complaint
  original_id INTEGER NOT NULL REFERENCES complaints(id),   -- the earlier one it resembles
  score REAL NOT NULL,                                      -- estimated Jaccard similarity
  reasons TEXT NOT NULL,                                    -- same_customer,same_object
  flagged_at INTEGER NOT NULL,
  PRIMARY KEY (complaint_id, original_id)
);
CREATE INDEX duplicate_flags_original ON duplicate_flags(original_id);
