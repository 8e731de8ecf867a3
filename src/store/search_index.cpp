#include "store/search_index.h"

#include <algorithm>
#include <vector>

namespace redress::store {
namespace {

// The SQLite form: "term term\x1Fvariant …" (see search_index.h).
std::string fts5_terms(std::string_view text) {
  std::string out;
  for (const text::IndexTerm& t : text::index_terms(text)) {
    if (!out.empty()) out += ' ';
    out += t.exact;
    if (!t.folded.empty()) {
      out += '\x1F';
      out += t.folded;
    }
  }
  return out;
}

void append_tsvector_lexeme(std::string& out, std::string_view lexeme) {
  out += '\'';
  for (char c : lexeme) {
    if (c == '\'' || c == '\\') out += c;  // '' and \\ are the literal's escapes
    out += c;
  }
  out += '\'';
}

// A tsvector literal of the texts in order, positions counting on from one
// text to the next; weight 'A' marks subject terms (others keep the default D).
struct WeightedText {
  std::string_view text;
  char weight;  // 'A' or 0
};
std::string tsvector_literal(const std::vector<WeightedText>& texts) {
  constexpr int kMaxPosition = 16383;  // PostgreSQL's limit; it clamps larger ones
  std::string out;
  int position = 0;
  for (const WeightedText& w : texts) {
    for (const text::IndexTerm& t : text::index_terms(w.text)) {
      position = std::min(position + 1, kMaxPosition);
      std::string pos = ":" + std::to_string(position);
      if (w.weight != 0) pos += w.weight;
      for (const std::string* lexeme : {&t.exact, &t.folded}) {
        if (lexeme->empty()) continue;
        if (!out.empty()) out += ' ';
        append_tsvector_lexeme(out, *lexeme);
        out += pos;
      }
    }
  }
  return out;
}

std::string fts5_phrase(const std::vector<std::string>& terms) {
  std::string out = "\"";
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (i > 0) out += ' ';
    for (char c : terms[i]) {
      if (c == '"') out += '"';
      out += c;
    }
  }
  return out + "\"";
}

std::string tsquery_phrase(const std::vector<std::string>& terms) {
  std::string out = "(";
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (i > 0) out += " <-> ";
    append_tsvector_lexeme(out, terms[i]);
  }
  return out + ")";
}

}  // namespace

bool SearchIndexRepo::indexes_message_kind(std::string_view kind) {
  return kind != "acknowledgement" && kind != "survey";
}

std::string SearchIndexRepo::match_expression(SqlDialect dialect, const text::SearchQuery& query) {
  std::string positive;
  std::string negative;
  for (const text::QueryClause& c : query.clauses) {
    if (dialect == SqlDialect::sqlite) {
      if (c.exclude) {
        negative += " NOT " + fts5_phrase(c.terms);
      } else {
        positive += (positive.empty() ? "" : " AND ") + fts5_phrase(c.terms);
      }
    } else {
      if (c.exclude) {
        negative += " & !" + tsquery_phrase(c.terms);
      } else {
        positive += (positive.empty() ? "" : " & ") + tsquery_phrase(c.terms);
      }
    }
  }
  if (dialect == SqlDialect::sqlite) return "(" + positive + ")" + negative;
  return "(" + positive + ")" + negative;
}

std::string SearchIndexRepo::postgres_document(std::string_view subject,
                                               std::string_view description) {
  return tsvector_literal({{subject, 'A'}, {description, 0}});
}

std::string SearchIndexRepo::postgres_index_new(std::string_view complaints, int document) {
  return "indexed AS (INSERT INTO complaint_search (complaint_id, doc) SELECT id, $" +
         std::to_string(document) + "::tsvector FROM " + std::string(complaints) + ")";
}

std::string SearchIndexRepo::postgres_message_document(std::string_view kind,
                                                       std::string_view body) {
  if (!indexes_message_kind(kind)) return {};
  return tsvector_literal({{body, 0}});
}

std::string SearchIndexRepo::postgres_index_message(int complaint, int document) {
  // tsvector || tsvector shifts the right side's positions past the left's.
  return "indexed AS (UPDATE complaint_search SET doc = doc || $" + std::to_string(document) +
         "::tsvector WHERE complaint_id = $" + std::to_string(complaint) + ")";
}

namespace {
// add_complaint and add_message are the SQLite half: on PostgreSQL the
// complaint's and the message's own INSERT writes the index (one round trip).
Status sqlite_only(const SqlSession& s, const char* what) {
  if (s.dialect() == SqlDialect::sqlite) return {};
  return fail(Error::internal(std::string(what) + ": on PostgreSQL the row's own INSERT indexes it "
                                                  "(postgres_index_new, postgres_index_message)"));
}
}  // namespace

Status SearchIndexRepo::add_complaint(ComplaintId id, std::string_view subject,
                                      std::string_view description) {
  REDRESS_CHECK(sqlite_only(s_, "SearchIndexRepo::add_complaint"));
  REDRESS_TRY(auto n, s_.exec("INSERT INTO complaint_search_pending (complaint_id, "
                              "subject_terms, body_terms, replaces) VALUES ($1, $2, $3, 0)",
                              params(id.value, fts5_terms(subject), fts5_terms(description))));
  (void)n;
  return {};
}

Status SearchIndexRepo::add_message(ComplaintId id, std::string_view kind, std::string_view body) {
  REDRESS_CHECK(sqlite_only(s_, "SearchIndexRepo::add_message"));
  if (!indexes_message_kind(kind)) return {};
  const std::string terms = fts5_terms(body);
  if (terms.empty()) return {};
  REDRESS_TRY(auto pending,
              s_.exec("UPDATE complaint_search_pending SET body_terms = body_terms || ' ' || $1 "
                      "WHERE complaint_id = $2",
                      params(terms, id.value)));
  if (pending > 0) return {};
  // The committed row, extended, replaces itself at COMMIT.
  REDRESS_TRY(auto n, s_.exec("INSERT INTO complaint_search_pending (complaint_id, "
                              "subject_terms, body_terms, replaces) SELECT rowid, subject_terms, "
                              "body_terms || ' ' || $1, 1 FROM complaint_search WHERE rowid = $2",
                              params(terms, id.value)));
  (void)n;
  return {};
}

Status SearchIndexRepo::rebuild(ComplaintId id) {
  REDRESS_TRY(auto rows, s_.query("SELECT subject, description FROM complaints WHERE id = $1",
                                  params(id.value)));
  if (rows.empty()) return fail(Error::not_found("complaint " + std::to_string(id.value)));
  const std::string subject = rows[0].text(0);
  const std::string description = rows[0].text(1);
  REDRESS_TRY(auto messages, s_.query("SELECT kind, body FROM messages WHERE complaint_id = $1 "
                                      "ORDER BY id",
                                      params(id.value)));
  std::vector<std::string> bodies;
  for (const SqlRow& m : messages) {
    if (indexes_message_kind(m.text(0))) bodies.push_back(m.text(1));
  }
  if (s_.dialect() == SqlDialect::sqlite) {
    std::string body = fts5_terms(description);
    for (const std::string& b : bodies) {
      const std::string terms = fts5_terms(b);
      if (terms.empty()) continue;
      if (!body.empty()) body += ' ';
      body += terms;
    }
    REDRESS_TRY(auto n, s_.exec("INSERT INTO complaint_search_pending (complaint_id, "
                                "subject_terms, body_terms, replaces) VALUES ($1, $2, $3, 1) "
                                "ON CONFLICT (complaint_id) DO UPDATE SET subject_terms = "
                                "excluded.subject_terms, body_terms = excluded.body_terms, "
                                "replaces = 1",
                                params(id.value, fts5_terms(subject), body)));
    (void)n;
    return {};
  }
  std::vector<WeightedText> texts{{subject, 'A'}, {description, 0}};
  for (const std::string& b : bodies) texts.push_back({b, 0});
  REDRESS_TRY(auto n, s_.exec("INSERT INTO complaint_search (complaint_id, doc) "
                              "VALUES ($1, $2::tsvector) ON CONFLICT (complaint_id) "
                              "DO UPDATE SET doc = EXCLUDED.doc",
                              params(id.value, tsvector_literal(texts))));
  (void)n;
  return {};
}

Result<std::int64_t> SearchIndexRepo::index_missing(int limit) {
  const char* sql = s_.dialect() == SqlDialect::sqlite
                        ? "SELECT id FROM complaints c WHERE NOT EXISTS (SELECT 1 FROM "
                          "complaint_search s WHERE s.rowid = c.id) AND NOT EXISTS (SELECT 1 "
                          "FROM complaint_search_pending p WHERE p.complaint_id = c.id) "
                          "ORDER BY id LIMIT $1"
                        : "SELECT id FROM complaints c WHERE NOT EXISTS (SELECT 1 FROM "
                          "complaint_search s WHERE s.complaint_id = c.id) ORDER BY id LIMIT $1";
  REDRESS_TRY(auto rows, s_.query(sql, params(static_cast<std::int64_t>(limit))));
  for (const SqlRow& r : rows) REDRESS_CHECK(rebuild(ComplaintId{r.i64(0)}));
  return static_cast<std::int64_t>(rows.size());
}

Status SearchIndexRepo::index_lessons(ComplaintId id, std::string_view lessons) {
  REDRESS_TRY(auto actions, s_.query("SELECT title, resources FROM improvement_actions WHERE "
                                     "complaint_id = $1 ORDER BY id",
                                     params(id.value)));
  const bool sqlite = s_.dialect() == SqlDialect::sqlite;
  REDRESS_TRY(auto gone, s_.exec(sqlite ? "DELETE FROM lesson_search WHERE rowid = $1"
                                        : "DELETE FROM lesson_search WHERE complaint_id = $1",
                                 params(id.value)));
  (void)gone;
  if (lessons.empty()) return {};
  std::vector<std::string> texts{std::string(lessons)};
  for (const SqlRow& a : actions) {
    texts.push_back(a.text(0));
    texts.push_back(a.text(1));
  }
  if (sqlite) {
    std::string terms;
    for (const std::string& t : texts) {
      const std::string more = fts5_terms(t);
      if (more.empty()) continue;
      if (!terms.empty()) terms += ' ';
      terms += more;
    }
    REDRESS_TRY(auto n, s_.exec("INSERT INTO lesson_search (rowid, terms) VALUES ($1, $2)",
                                params(id.value, terms)));
    (void)n;
    return {};
  }
  std::vector<WeightedText> weighted;
  weighted.reserve(texts.size());
  for (const std::string& t : texts) weighted.push_back({t, 0});
  REDRESS_TRY(auto n,
              s_.exec("INSERT INTO lesson_search (complaint_id, doc) VALUES ($1, $2::tsvector)",
                      params(id.value, tsvector_literal(weighted))));
  (void)n;
  return {};
}

Result<std::int64_t> SearchIndexRepo::index_missing_lessons(int limit) {
  const char* sql = s_.dialect() == SqlDialect::sqlite
                        ? "SELECT id, lessons FROM complaints c WHERE lessons <> '' AND NOT EXISTS "
                          "(SELECT 1 FROM lesson_search s WHERE s.rowid = c.id) ORDER BY id "
                          "LIMIT $1"
                        : "SELECT id, lessons FROM complaints c WHERE lessons <> '' AND NOT EXISTS "
                          "(SELECT 1 FROM lesson_search s WHERE s.complaint_id = c.id) ORDER BY "
                          "id LIMIT $1";
  REDRESS_TRY(auto rows, s_.query(sql, params(static_cast<std::int64_t>(limit))));
  std::int64_t indexed = 0;
  for (const SqlRow& r : rows) {
    REDRESS_CHECK(index_lessons(ComplaintId{r.i64(0)}, r.text(1)));
    ++indexed;
  }
  return indexed;
}

}  // namespace redress::store
