-- reason: the lessons-learned library (issue 5 item 8): lessons and improvement actions searchable across complaints; the index holds terms from src/text (store/search_index.h), kept by the application, existing lessons indexed by `redress search-index`
-- One FTS5 row per complaint that has lessons (rowid = complaint id): the
-- lessons text and its improvement actions' titles and resources, in the same
-- pre-tokenised form as complaint_search.
CREATE VIRTUAL TABLE lesson_search USING fts5(terms, tokenize = 'redress_terms');
-- The library lists complaints with lessons, newest first: a partial index
-- keeps that a range scan however many complaints have none.
CREATE INDEX complaints_with_lessons ON complaints(id) WHERE lessons <> '';
-- Improvement actions across complaints, by deadline and by owner.
CREATE INDEX improvement_actions_due ON improvement_actions(due_at, id);
CREATE INDEX improvement_actions_owner ON improvement_actions(owner_id, due_at);
