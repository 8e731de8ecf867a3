-- reason: full-text search: one tsvector per complaint over terms from src/text (store/search_index.h), GIN-indexed; existing complaints are indexed by `redress search-index`
CREATE TABLE complaint_search (
  complaint_id BIGINT PRIMARY KEY REFERENCES complaints(id),
  doc TSVECTOR NOT NULL
);
CREATE INDEX complaint_search_doc ON complaint_search USING GIN (doc);
