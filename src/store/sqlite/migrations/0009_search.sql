-- reason: full-text search: one FTS5 row per complaint (rowid = complaint id) over terms from src/text (store/search_index.h); existing complaints are indexed by `redress search-index`
-- The text is pre-tokenised by the application (terms separated by spaces, an
-- accent-folded variant joined by U+001F); the tokenizer redress_terms only
-- splits it, and must be registered on every connection (store/sqlite/connection.cpp).
CREATE VIRTUAL TABLE complaint_search USING fts5(subject_terms, body_terms, tokenize = 'redress_terms');
