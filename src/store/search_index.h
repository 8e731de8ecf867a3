// The full-text search index of complaints, kept by the repositories in the
// transaction that writes the text (see docs/search.md).
//
// One index row per complaint: the subject (ranked higher) and a body made of
// the description and the messages people wrote (customer-visible replies and
// internal notes alike: only staff search, and staff read both). Generated
// acknowledgements and surveys are left out: the same template text on every
// complaint would match everything. Terms come from text::index_terms().
//
// SQLite: the FTS5 table complaint_search (rowid = complaint id) over
// pre-tokenised text — terms separated by spaces, an accent-folded variant
// joined to its term by U+001F — split by the tokenizer `redress_terms`
// (register_fts5_tokenizer in store/sqlite/connection.h), which emits the
// variant at the same position. The SQLite repository writes the complete row a
// complaint's index will hold into complaint_search_pending instead (migration
// 0025: FTS5 flushes its pending terms at every statement savepoint, a segment
// per complaint); kFoldSearchPendingSqlite moves them into complaint_search
// right before COMMIT, so committed data never has a pending row. PostgreSQL:
// complaint_search(complaint_id,
// doc tsvector) with a GIN index; the tsvector is built here with positions
// (variants share them) and weight A for the subject.
#pragma once

#include <string>
#include <string_view>

#include "core/records.h"
#include "store/sql.h"
#include "text/search.h"

namespace redress::store {

// Moves the write batch's pending index rows into the FTS5 table (replacing
// the rows they extend) and empties complaint_search_pending; the SQLite
// store runs it right before every COMMIT of its writer and after its
// migrations.
inline constexpr const char* kFoldSearchPendingSqlite = R"sql(
DELETE FROM complaint_search
WHERE rowid IN (SELECT complaint_id FROM complaint_search_pending WHERE replaces);
INSERT INTO complaint_search (rowid, subject_terms, body_terms)
SELECT complaint_id, subject_terms, body_terms FROM complaint_search_pending ORDER BY complaint_id;
DELETE FROM complaint_search_pending;
)sql";

class SearchIndexRepo {
 public:
  explicit SearchIndexRepo(SqlSession& s) : s_(s) {}
  // SQLite: indexes a new complaint's subject and description. On PostgreSQL
  // the complaint's own INSERT does (postgres_index_new), and this fails
  // (internal).
  Status add_complaint(ComplaintId id, std::string_view subject, std::string_view description);
  // SQLite: appends a message body to the complaint's index row when messages
  // of `kind` are indexed (see indexes_message_kind). On PostgreSQL the
  // message's own INSERT does (postgres_index_message), and this fails
  // (internal).
  Status add_message(ComplaintId id, std::string_view kind, std::string_view body);
  // Rewrites the complaint's index row from what is stored now (after an
  // erasure, the erased text is gone from the index too).
  Status rebuild(ComplaintId id);
  // Indexes up to `limit` complaints that have no index row yet (databases
  // written before search existed), lowest ids first; returns how many.
  Result<std::int64_t> index_missing(int limit);

  // The lessons-learned index (lesson_search, migration 0015): rewrites the
  // complaint's row from `lessons` and the titles and resources of its stored
  // improvement actions, so callers that replace the actions do so first.
  // One row per complaint whose lessons are not empty, like the library's
  // members (a row may hold no terms); empty lessons leave none.
  Status index_lessons(ComplaintId id, std::string_view lessons);
  // Indexes up to `limit` complaints with lessons but no lessons-index row
  // (lessons written before migration 0015), lowest ids first; returns how many.
  Result<std::int64_t> index_missing_lessons(int limit);

  // PostgreSQL: the tsvector literal of a new complaint's index row (its
  // subject weighted A, then its description).
  static std::string postgres_document(std::string_view subject, std::string_view description);
  // PostgreSQL: a WITH item that indexes the complaint whose id the WITH item
  // `complaints` returns, with the document bound to parameter $`document`,
  // so a complaint's INSERT and its index row take one statement.
  static std::string postgres_index_new(std::string_view complaints, int document);

  // PostgreSQL: the tsvector literal appended to the complaint's index row
  // for a message of `kind` with `body`; empty when nothing is appended
  // (kinds not indexed, or no terms).
  static std::string postgres_message_document(std::string_view kind, std::string_view body);
  // PostgreSQL: a WITH item appending the document bound to $`document` to
  // the index row of the complaint bound to $`complaint` (add_message's
  // update), for a message's INSERT and its index terms in one statement.
  static std::string postgres_index_message(int complaint, int document);

  // Whether message bodies of `kind` go into the index.
  static bool indexes_message_kind(std::string_view kind);
  // The search condition's parameter for `dialect`: an FTS5 MATCH expression
  // or the text of a tsquery.
  static std::string match_expression(SqlDialect dialect, const text::SearchQuery& query);

 private:
  SqlSession& s_;
};

}  // namespace redress::store
