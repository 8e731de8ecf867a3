// The request readers (requests.h), and the inputs the fuzzers (fuzz/) found or that
// guard the bugs found while factoring them out of the routes.
#include "http/requests.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/json_io.h"
#include "http/problem.h"

namespace redress::http {
namespace {

Request with_query(Fields query) {
  Request r;
  r.method = "GET";
  r.query = std::move(query);
  return r;
}

Result<store::ComplaintFilter> filter_of(const Request& r) {
  return read_complaint_filter(r, from_epoch_ms(1'700'000'000'000));
}

bool names(const Error& e, std::string_view field) {
  for (const auto& f : e.fields) {
    if (f.field == field) return true;
  }
  return false;
}

TEST(Requests, CursorRoundTripsAndRefusesAnythingElse) {
  auto c = parse_cursor(list_cursor(1234));
  ASSERT_TRUE(c);
  EXPECT_EQ(*c, 1234);
  for (std::string_view bad : {"", "c", "x12", "c-1", "c1x", "c 1", "c1234567890123456789"}) {
    auto r = parse_cursor(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_TRUE(names(r.error(), "cursor")) << bad;
  }
}

TEST(Requests, IfMatchAcceptsTheEtagForms) {
  EXPECT_EQ(*parse_if_match(std::nullopt), std::nullopt);
  EXPECT_EQ(**parse_if_match("\"7\""), 7);
  EXPECT_EQ(**parse_if_match("W/\"7\""), 7);
  EXPECT_EQ(**parse_if_match("7"), 7);
  for (std::string_view bad : {"", "\"\"", "\"", "W/", "\"-1\"", "abc", "1234567890123456789"}) {
    auto r = parse_if_match(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_TRUE(names(r.error(), "If-Match")) << bad;
  }
}

TEST(Requests, PatchNamesAnEmptyKey) {
  // fuzz/json_requests found it in CI: {"": "PT1H"} gave a field error without a field.
  std::vector<FieldError> errors;
  (void)read_complaint_patch(Json{{"", "PT1H"}, {"subject", "ok"}}, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "\"\"");
}

TEST(Requests, DueOrderCursorsRoundTripAndBelongToTheirOrder) {
  store::ComplaintFilter due;
  due.order = store::ComplaintFilter::Order::due;
  Complaint with_due;
  with_due.id = ComplaintId{41};
  with_due.due_at = from_epoch_ms(1'800'000'000'123);
  Complaint without_due;
  without_due.id = ComplaintId{42};
  store::ComplaintFilter next = due;
  ASSERT_TRUE(read_complaint_list_cursor(complaint_list_cursor(due, with_due), next));
  EXPECT_EQ(next.after_due, with_due.due_at);
  EXPECT_EQ(next.after_id, 41);
  next = due;
  ASSERT_TRUE(read_complaint_list_cursor(complaint_list_cursor(due, without_due), next));
  EXPECT_FALSE(next.after_due);
  EXPECT_EQ(next.after_id, 42);
  // A newest-first cursor is not a due cursor, and the other way round.
  store::ComplaintFilter newest;
  EXPECT_FALSE(read_complaint_list_cursor("d1_2", newest));
  EXPECT_FALSE(read_complaint_list_cursor("c12", next));
  for (std::string_view bad : {"d12", "d_3", "dx_1", "n", "nx"}) {
    store::ComplaintFilter f = due;
    EXPECT_FALSE(read_complaint_list_cursor(bad, f)) << bad;
  }
}

TEST(Requests, ComplaintFilterNamesEveryBadParameter) {
  auto ok = filter_of(with_query(
      {{"state", "new"}, {"limit", "20"}, {"cursor", "c99"}, {"received_from", "2026-01-01"}}));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->limit, 20);
  EXPECT_EQ(ok->before_id, 99);
  EXPECT_TRUE(ok->received_from);
  auto bad = filter_of(with_query({{"state", "lost"},
                                   {"limit", "0"},
                                   {"department_id", "-3"},
                                   {"received_to", "yesterday"},
                                   {"cursor", "zz"}}));
  ASSERT_FALSE(bad);
  for (auto field : {"state", "limit", "department_id", "received_to", "cursor"}) {
    EXPECT_TRUE(names(bad.error(), field)) << field;
  }
}

// The outbox read its limit and cursor with atoi/atoll: "abc" became 0 (then 1), a cursor
// past INT64_MAX was undefined behaviour. Now both are checked and named.
TEST(Requests, OutboxQueryRefusesWhatAtoiAccepted) {
  auto ok = read_outbox_query(with_query({{"state", "dead"}, {"limit", "500"}, {"cursor", "17"}}));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->limit, 500);
  EXPECT_EQ(ok->before, 17);
  for (Fields q : {Fields{{"limit", "abc"}}, Fields{{"limit", "501"}}, Fields{{"limit", "0"}},
                   Fields{{"cursor", "99999999999999999999999"}}, Fields{{"state", "lost"}}}) {
    EXPECT_FALSE(read_outbox_query(with_query(q))) << q.front().first << "=" << q.front().second;
  }
}

TEST(Requests, AdminChangeQueryNamesAnUnknownEntityAndABadLimit) {
  auto ok = read_admin_change_query(
      with_query({{"entity", "category"}, {"key", "billing"}, {"limit", "500"}}));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->entity, "category");
  EXPECT_EQ(ok->key, "billing");
  EXPECT_EQ(ok->limit, 500);
  EXPECT_EQ(read_admin_change_query(with_query({}))->limit, 100);
  auto bad = read_admin_change_query(with_query({{"entity", "policy"}, {"limit", "12x"}}));
  ASSERT_FALSE(bad);
  EXPECT_TRUE(names(bad.error(), "entity"));
  EXPECT_TRUE(names(bad.error(), "limit"));
  EXPECT_FALSE(read_admin_change_query(with_query({{"limit", "501"}})));
  EXPECT_EQ(read_admin_change_query(with_query({{"cursor", "c42"}}))->before, 42);
  auto cursor = read_admin_change_query(with_query({{"cursor", "42"}}));
  ASSERT_FALSE(cursor);
  EXPECT_TRUE(names(cursor.error(), "cursor"));
}

// A score of 2^32 + 4 was cast to int before the 1–5 check and became 4.
TEST(Requests, ScoresOutsideOneToFiveAreRefusedNotTruncated) {
  std::vector<FieldError> errors;
  Json body = Json::parse(R"({"score": 4294967300})");
  FieldReader f(body, errors);
  read_satisfaction(f, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "score");

  std::vector<FieldError> portal_errors;
  FieldReader p(body, portal_errors);
  auto action = read_public_action(p);
  EXPECT_FALSE(action.score);
  ASSERT_EQ(portal_errors.size(), 1u);
  EXPECT_EQ(portal_errors[0].field, "score");
}

// reopen_window_days = 2^32 + 7 was truncated to 7 and passed the 0–3650 check.
TEST(Requests, PolicyCountsAreNotTruncated) {
  std::vector<FieldError> errors;
  Json body = Json::parse(R"({"name": "p", "reopen_window_days": 4294967303})");
  FieldReader f(body, errors);
  Policy p = read_policy(f, Policy{});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "reopen_window_days");
  EXPECT_NE(p.reopen_window_days, 7);
}

TEST(Requests, ReviewNamesTheImprovementActionWithoutATrailingDot) {
  std::vector<FieldError> errors;
  Json body = Json::parse(R"({"lessons": "x", "improvement_actions": [1]})");
  FieldReader f(body, errors);
  read_review(f, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "improvement_actions[0]");
}

TEST(Requests, PatchNamesUnknownKeys) {
  std::vector<FieldError> errors;
  auto p = read_complaint_patch(Json::parse(R"({"subject": "s", "state": "closed"})"), errors);
  EXPECT_EQ(p.subject, "s");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "state");
}

TEST(Requests, TransitionNeedsAKnownAction) {
  EXPECT_FALSE(read_transition(Json::object()));
  EXPECT_FALSE(read_transition(Json::parse(R"({"action": "explode"})")));
  auto ok = read_transition(Json::parse(
      R"({"action": "propose_plan", "remedies": [{"type": "refund", "amount": 1.5}]})"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->remedies.size(), 1u);
}

// Field errors name the rule broken (for clients in other languages), with
// string params, and keep the English message; errors without a rule have no
// "rule" key at all.
TEST(Requests, ProblemFieldErrorsCarryTheirRuleAndParams) {
  const Json body = Json::parse(R"({"name": 5, "note": "xxxxxxxxxxx", "when": "soon",
                                   "tags": ["a", 1]})");
  std::vector<FieldError> errors;
  FieldReader f(body, errors, "plan.");
  EXPECT_FALSE(f.str("name"));
  EXPECT_FALSE(f.str("note", 10));
  EXPECT_FALSE(f.instant("when"));
  EXPECT_FALSE(f.strings("tags"));
  f.error(range_field("score", 1, 5));
  f.error("free", "says it in words only");
  ASSERT_EQ(errors.size(), 6U);
  const auto out = Json::parse(problem(Error::invalid(errors)).body);
  const Json& e = out.at("errors");
  EXPECT_EQ(e[0], Json::parse(R"({"field": "plan.name", "message": "must be a string",
                                  "rule": "type", "params": {"type": "string"}})"));
  EXPECT_EQ(e[1]["rule"], "too_long");
  EXPECT_EQ(e[1]["params"], Json::parse(R"({"max": "10"})"));
  EXPECT_EQ(e[2]["rule"], "date_time");
  EXPECT_EQ(e[2]["params"], Json::object());
  EXPECT_EQ(e[3]["params"], Json::parse(R"({"type": "strings"})"));
  EXPECT_EQ(e[4], Json::parse(R"({"field": "plan.score", "message": "must be between 1 and 5",
                                  "rule": "range", "params": {"min": "1", "max": "5"}})"));
  EXPECT_EQ(e[5], Json::parse(R"({"field": "plan.free", "message": "says it in words only"})"));
  // One error keeps the field's own summary as the detail.
  const auto one = Json::parse(problem(Error::invalid(required_field("name"))).body);
  EXPECT_EQ(one.at("detail"), "name: is required");
  EXPECT_EQ(one.at("errors")[0]["rule"], "required");
}

}  // namespace
}  // namespace redress::http
