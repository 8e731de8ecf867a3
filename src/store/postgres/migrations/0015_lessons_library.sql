-- reason: the lessons-learned library (issue 5 item 8): lessons and improvement actions searchable across complaints; one tsvector per complaint with lessons (store/search_index.h), GIN-indexed; existing lessons indexed by `redress search-index`
CREATE TABLE lesson_search (
  complaint_id BIGINT PRIMARY KEY REFERENCES complaints(id),
  doc TSVECTOR NOT NULL
);
CREATE INDEX lesson_search_doc ON lesson_search USING GIN (doc);
CREATE INDEX complaints_with_lessons ON complaints(id) WHERE lessons <> '';
CREATE INDEX improvement_actions_due ON improvement_actions(due_at, id);
CREATE INDEX improvement_actions_owner ON improvement_actions(owner_id, due_at);
