// The maintained report counts (migration 0011) held against a model of the
// complaints kept in the test itself, shared by the SQLite and the PostgreSQL
// store tests so both dialects' triggers are held to the same expectations.
// Complaints are spread over days and months, then moved between states and
// departments, rated, resolved and timed by SLA clocks; every range cut
// (whole months, whole days, partial days, open ends) and department scope
// must give the counts the model gives.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "store/store.h"

namespace redress::store::report_checks {

// What the test knows of one complaint after all its writes.
struct Modelled {
  ComplaintId id;
  std::int64_t received_ms = 0;
  std::int64_t department = 0;  // 0: unrouted
  std::string state, urgency, category, channel;
  std::optional<int> satisfaction;
  std::optional<std::int64_t> resolved_ms;
  std::vector<std::pair<std::string, std::string>> clocks;  // dimension, status
};

using TallyKey = std::tuple<std::string, std::string, std::int64_t>;

inline std::map<TallyKey, std::int64_t> expected_tallies(const std::vector<Modelled>& model,
                                                         const ReportScope& scope) {
  std::map<TallyKey, std::int64_t> out;
  for (const Modelled& m : model) {
    if (scope.from && m.received_ms < to_epoch_ms(*scope.from)) continue;
    if (scope.to && m.received_ms >= to_epoch_ms(*scope.to)) continue;
    if (scope.departments) {
      bool in = m.department == 0 && scope.include_unrouted;
      for (DepartmentId d : *scope.departments) in = in || d.value == m.department;
      if (!in) continue;
    }
    ++out[{"received", "", m.department}];
    ++out[{"state", m.state, m.department}];
    ++out[{"urgency", m.urgency, m.department}];
    ++out[{"category", m.category, m.department}];
    ++out[{"channel", m.channel, m.department}];
    if (m.satisfaction) ++out[{"satisfaction", std::to_string(*m.satisfaction), m.department}];
    for (const auto& [dimension, status] : m.clocks) ++out[{dimension, status, m.department}];
  }
  return out;
}

// How write_modelled_complaints commits: the complaints, then their later
// changes in a second transaction; or everything in one, so the changes move
// counts of complaints whose own counts are still pending (migration 0023).
enum class Batching { insert_then_change, one_transaction };

// Writes the complaints, clocks and later changes described above through the
// store and records them in `model`; `deps` receives the three departments.
inline void write_modelled_complaints(Store& store, std::vector<Modelled>& model,
                                      std::vector<DepartmentId>& deps_out,
                                      Batching batching = Batching::insert_then_change) {
  // 2024-01-25T00:00:00Z; complaints every 19 h 7 min 3.5 s for ~110 days, so they
  // fall at every hour of the day and across four month boundaries.
  constexpr std::int64_t kStart = 1706140800000;
  constexpr std::int64_t kStep = 68'823'500;
  constexpr int kCount = 140;
  const auto seed = [&](WriteTx& tx) -> Result<std::vector<DepartmentId>> {
    std::vector<DepartmentId> deps;
    for (const char* code : {"RA", "RB", "RC"}) {
      REDRESS_TRY(auto id, tx.directory().add_department(Department{.code = code, .name = code}));
      deps.push_back(id);
    }
    for (const char* code : {"billing", "delivery"}) {
      REDRESS_CHECK(tx.directory().add_category(Category{.code = code, .name = code}));
    }
    REDRESS_TRY(CustomerId customer, tx.customers().insert(Customer{.name = "C"}));
    const State states[] = {State::new_, State::assessing, State::investigating};
    const Channel channels[] = {Channel::portal, Channel::email, Channel::phone};
    for (int i = 0; i < kCount; ++i) {
      Complaint c;
      c.tracking_code = "R-" + std::to_string(i);
      c.access_token_hash = "h";
      c.customer = customer;
      c.description = "d";
      c.received_at = from_epoch_ms(kStart + i * kStep);
      c.state = states[i % 3];
      c.channel = channels[i % 3];
      if (i % 4 != 0) c.urgency = i % 4 == 1 ? Urgency::urgent : Urgency::general;
      if (i % 5 != 0) c.category = i % 5 < 3 ? "billing" : "delivery";
      if (i % 7 != 0) c.department = deps[static_cast<std::size_t>(i % 3)];
      REDRESS_TRY(c.id, tx.complaints().insert(c));
      Modelled m{.id = c.id,
                 .received_ms = kStart + i * kStep,
                 .department = c.department ? c.department->value : 0,
                 .state = std::string(to_string(c.state)),
                 .urgency = c.urgency ? std::string(to_string(*c.urgency)) : "",
                 .category = c.category.value_or(""),
                 .channel = std::string(to_string(c.channel))};
      if (i % 2 == 0) {
        SlaClock clock{.complaint = c.id,
                       .kind = SlaClockKind::first_response,
                       .target = Millis{3'600'000},
                       .started_at = c.received_at,
                       .warn_at = c.received_at,
                       .due_at = c.received_at,
                       .director_at = c.received_at};
        if (i % 6 == 0) clock.stopped_at = c.received_at;
        REDRESS_TRY([[maybe_unused]] std::int64_t clock_id, tx.sla().add_clock(clock));
        m.clocks.push_back({"sla_first_response", i % 6 == 0 ? "met" : "running"});
      }
      model.push_back(std::move(m));
    }
    return deps;
  };

  // Later writes: re-routing, closing with a rating and a resolution time, and
  // clocks that end (met or breached) — each must move the counts it touches.
  const auto change = [&](WriteTx& tx, const std::vector<DepartmentId>& deps) -> Result<bool> {
    for (std::size_t i = 0; i < model.size(); ++i) {
      Modelled& m = model[i];
      REDRESS_TRY(auto found, tx.complaints().find(m.id));
      if (!found) return fail(Error::not_found("complaint"));
      Complaint c = *found;
      if (i % 3 == 1) {
        c.department = deps[(i + 1) % 3];
        m.department = c.department->value;
      }
      if (i % 4 == 2) {
        c.state = State::closed;
        c.satisfaction_score = static_cast<int>(i % 5) + 1;
        c.resolved_at = from_epoch_ms(m.received_ms + static_cast<std::int64_t>(i) * 3'600'000);
        m.state = "closed";
        m.satisfaction = c.satisfaction_score;
        m.resolved_ms = to_epoch_ms(*c.resolved_at);
      }
      REDRESS_TRY([[maybe_unused]] std::int64_t version, tx.complaints().update(c));
    }
    for (std::size_t i = 0; i < model.size(); i += 4) {
      REDRESS_TRY(auto clocks, tx.sla().clocks(model[i].id));
      for (SlaClock clock : clocks) {
        if (clock.stopped_at) continue;
        clock.breached_at = clock.due_at;
        REDRESS_CHECK(tx.sla().update_clock(clock));
        model[i].clocks = {{"sla_first_response", "breached"}};
      }
    }
    return true;
  };

  if (batching == Batching::one_transaction) {
    auto written = store.write_sync<std::vector<DepartmentId>>(
        [&](WriteTx& tx) -> Result<std::vector<DepartmentId>> {
          REDRESS_TRY(auto deps, seed(tx));
          REDRESS_TRY([[maybe_unused]] bool done, change(tx, deps));
          return deps;
        });
    ASSERT_TRUE(written) << written.error().message;
    deps_out = *written;
    return;
  }
  auto seeded = store.write_sync<std::vector<DepartmentId>>(seed);
  ASSERT_TRUE(seeded) << seeded.error().message;
  auto changed =
      store.write_sync<bool>([&](WriteTx& tx) -> Result<bool> { return change(tx, *seeded); });
  ASSERT_TRUE(changed) << changed.error().message;
  deps_out = *seeded;
}

// Every range cut and department scope of the report counts gives what `model` gives.
inline void expect_counts_of_model(Store& store, const std::vector<Modelled>& model,
                                   const std::vector<DepartmentId>& deps) {
  constexpr std::int64_t kStart = 1706140800000;  // as in write_modelled_complaints
  constexpr std::int64_t kStep = 68'823'500;

  auto check = [&](ReportScope scope, const std::string& what) {
    auto got = store.read<std::vector<Tally>>(
        [&](const ReadTx& tx) { return tx.reports().tallies(scope); });
    ASSERT_TRUE(got) << what << ": " << got.error().message;
    std::map<TallyKey, std::int64_t> actual;
    for (const Tally& t : *got) actual[{t.dimension, t.value, t.department}] += t.n;
    EXPECT_EQ(actual, expected_tallies(model, scope)) << what;

    std::map<std::int64_t, std::int64_t> received, resolved;
    for (const Modelled& m : model) {
      const auto day = [](std::int64_t ms) { return ms / 86'400'000; };
      const bool in_scope =
          expected_tallies({m}, ReportScope{std::nullopt, std::nullopt, scope.departments,
                                            scope.include_unrouted})
              .size() > 0;
      if (!in_scope) continue;
      auto inside = [&](std::int64_t ms) {
        return (!scope.from || ms >= to_epoch_ms(*scope.from)) &&
               (!scope.to || ms < to_epoch_ms(*scope.to));
      };
      if (inside(m.received_ms)) ++received[day(m.received_ms)];
      if (m.resolved_ms && inside(*m.resolved_ms)) ++resolved[day(*m.resolved_ms)];
    }
    for (auto [series, expected] :
         {std::pair{DaySeries::received, received}, std::pair{DaySeries::resolved, resolved}}) {
      auto days = store.read<std::vector<DayCount>>(
          [&](const ReadTx& tx) { return tx.reports().per_day(scope, series); });
      ASSERT_TRUE(days) << what << ": " << days.error().message;
      std::map<std::int64_t, std::int64_t> actual_days;
      for (const DayCount& d : *days) actual_days[d.day] += d.count;
      EXPECT_EQ(actual_days, expected)
          << what << (series == DaySeries::received ? " received" : " resolved");
    }
  };
  const auto at = [](std::int64_t ms) { return std::optional<Instant>(from_epoch_ms(ms)); };
  constexpr std::int64_t kDay = 86'400'000;
  constexpr std::int64_t kFeb1 = 1706745600000, kApr1 = 1711929600000;
  const std::vector<std::pair<std::optional<Instant>, std::optional<Instant>>> ranges = {
      {std::nullopt, std::nullopt},
      {at(kFeb1), at(kApr1)},                                    // whole months
      {at(kFeb1 + 3 * kDay), at(kApr1 + 9 * kDay)},              // days + months + days
      {at(kFeb1 + 3 * kDay + 4321), at(kApr1 - 7 * kDay - 99)},  // partial days at both ends
      {at(kFeb1 + 5 * kDay + 1000), at(kFeb1 + 5 * kDay + 80'000'000)},  // within one day
      {at(kFeb1 + 5 * kDay + 1000), at(kFeb1 + 6 * kDay + 5)},           // two partial days
      {at(kFeb1 + 10 * kDay), at(kFeb1 + 12 * kDay)},                    // whole days in one month
      {at(kStart + 17 * kStep), std::nullopt},  // open end, exactly on a complaint
      {std::nullopt, at(kStart + 55 * kStep)},  // open start, excludes that one
      {at(kFeb1 + 1), at(kFeb1 + 1)},           // empty
  };
  for (const auto& [from, to] : ranges) {
    const std::string what =
        "range " + (from ? format_iso8601(*from) : "…") + " – " + (to ? format_iso8601(*to) : "…");
    check(ReportScope{from, to, std::nullopt, false}, what);
    check(ReportScope{from, to, std::vector<DepartmentId>{deps[0], deps[2]}, false}, what + " A+C");
    check(ReportScope{from, to, std::vector<DepartmentId>{deps[1]}, true}, what + " B+unrouted");
    check(ReportScope{from, to, std::vector<DepartmentId>{}, false}, what + " nothing");
  }
}

inline void check_report_counts(Store& store, Batching batching = Batching::insert_then_change) {
  std::vector<Modelled> model;
  std::vector<DepartmentId> deps;
  write_modelled_complaints(store, model, deps, batching);
  if (::testing::Test::HasFatalFailure()) return;
  expect_counts_of_model(store, model, deps);
}

// ComplaintRepo::insert_unless_code_taken on a code write_modelled_complaints
// stored ("R-0"): no row, no count, the stored complaint untouched; with a
// fresh code it inserts and counts as insert() does.
inline void expect_taken_code_writes_nothing(Store& store) {
  const auto all_tallies = [&]() {
    auto got = store.read<std::vector<Tally>>([](const ReadTx& tx) {
      return tx.reports().tallies(ReportScope{std::nullopt, std::nullopt, std::nullopt, true});
    });
    EXPECT_TRUE(got) << got.error().message;
    std::map<TallyKey, std::int64_t> out;
    if (got) {
      for (const Tally& t : *got) out[{t.dimension, t.value, t.department}] += t.n;
    }
    return out;
  };
  // Inserts a copy of "R-0" under `code`, with another description.
  const auto insert_copy = [&](const std::string& code) {
    return store.write_sync<std::optional<ComplaintId>>(
        [code](WriteTx& tx) -> Result<std::optional<ComplaintId>> {
          REDRESS_TRY(auto original, tx.complaints().find_by_tracking_code("R-0"));
          if (!original) return fail(Error::not_found("R-0"));
          Complaint c = *original;
          c.tracking_code = code;
          c.description = "another text";
          return tx.complaints().insert_unless_code_taken(c);
        });
  };
  const auto before = all_tallies();
  auto taken = insert_copy("R-0");
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_FALSE(*taken);
  EXPECT_EQ(all_tallies(), before);

  auto fresh = insert_copy("R-fresh");
  ASSERT_TRUE(fresh) << fresh.error().message;
  ASSERT_TRUE(*fresh);
  auto stored = store.read<std::optional<Complaint>>(
      [](const ReadTx& tx) { return tx.complaints().find_by_tracking_code("R-fresh"); });
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->id, **fresh);
  const std::int64_t department = (*stored)->department ? (*stored)->department->value : 0;
  const TallyKey received{"received", "", department};
  EXPECT_EQ(all_tallies()[received], before.at(received) + 1);
}

}  // namespace redress::store::report_checks
