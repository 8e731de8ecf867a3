// The warning-record and hotspot queries (store/insight_repo.h) against
// complaints written in the test, shared by the SQLite and PostgreSQL store
// tests so both dialects answer the same.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "store/store.h"

namespace redress::store::insight_checks {

inline void check_insight_queries(Store& store) {
  constexpr std::int64_t kDay = 86'400'000;
  constexpr std::int64_t kT0 = 1'735'689'600'000;  // 2025-01-01T00:00:00Z
  struct Ids {
    DepartmentId parent, child, other;
    std::vector<ComplaintId> c;
  };
  auto seeded = store.write_sync<Ids>([&](WriteTx& tx) -> Result<Ids> {
    Ids ids;
    REDRESS_TRY(ids.parent, tx.directory().add_department(Department{.code = "IP", .name = "IP"}));
    REDRESS_TRY(ids.child, tx.directory().add_department(
                               Department{.code = "IC", .name = "IC", .parent = ids.parent}));
    REDRESS_TRY(ids.other, tx.directory().add_department(Department{.code = "IO", .name = "IO"}));
    REDRESS_TRY(CustomerId a, tx.customers().insert(Customer{.name = "Ann"}));
    REDRESS_TRY(CustomerId b, tx.customers().insert(Customer{.name = "Bo"}));
    // day, department (0 parent, 1 child, 2 other, 3 none), validity, kind, customer, object,
    // urgency
    struct Row {
      int day;
      int dep;
      Validity validity;
      Kind kind;
      CustomerId customer;
      const char* object;
      std::optional<Urgency> urgency;
    };
    const Row rows[] = {
        {1, 0, Validity::founded, Kind::complaint, a, "ORD-1", Urgency::urgent},      // 0
        {2, 1, Validity::founded, Kind::complaint, b, "ORD-1", std::nullopt},         // 1
        {3, 1, Validity::unfounded, Kind::complaint, a, "ORD-2", std::nullopt},       // 2
        {4, 2, Validity::founded, Kind::complaint, a, "ORD-2", Urgency::general},     // 3
        {5, 3, Validity::founded, Kind::complaint, b, "", std::nullopt},              // 4
        {6, 0, Validity::founded, Kind::suggestion, b, "ORD-1", std::nullopt},        // 5
        {40, 0, Validity::founded, Kind::complaint, a, "ORD-1", Urgency::important},  // 6
    };
    int i = 0;
    for (const Row& r : rows) {
      Complaint c;
      c.tracking_code = "INS-" + std::to_string(i++);
      c.access_token_hash = "h";
      c.customer = r.customer;
      c.description = "d";
      c.object_ref = r.object;
      c.received_at = from_epoch_ms(kT0 + r.day * kDay);
      c.validity = r.validity;
      c.kind = r.kind;
      c.urgency = r.urgency;
      c.plan_round = 2;
      const DepartmentId deps[] = {ids.parent, ids.child, ids.other};
      if (r.dep < 3) c.department = deps[r.dep];
      REDRESS_TRY(c.id, tx.complaints().insert(c));
      ids.c.push_back(c.id);
    }
    // Remedies: an older plan round (1) is not the outcome; round 2 is.
    for (auto [complaint, round, type] :
         {std::tuple{ids.c[0], 1, RemedyType::apology}, std::tuple{ids.c[0], 2, RemedyType::refund},
          std::tuple{ids.c[1], 2, RemedyType::repair},
          std::tuple{ids.c[3], 2, RemedyType::other}}) {
      REDRESS_TRY([[maybe_unused]] auto id,
                  tx.records().add_remedy(
                      Remedy{.complaint = complaint, .plan_round = round, .type = type}));
    }
    for (auto [complaint, desc] : {std::pair{ids.c[0], "Label"}, std::pair{ids.c[6], "Label"},
                                   std::pair{ids.c[3], "Other"}}) {
      REDRESS_TRY([[maybe_unused]] auto id,
                  tx.records().add_cause(Cause{.complaint = complaint,
                                               .family = CauseFamily::method,
                                               .description = desc,
                                               .recorded_at = from_epoch_ms(kT0)}));
    }
    return ids;
  });
  ASSERT_TRUE(seeded) << seeded.error().message;
  const Ids ids = *seeded;
  auto read = [&](auto fn) {
    using T = std::remove_cvref_t<decltype(fn(std::declval<const ReadTx&>()).value())>;
    auto r = store.read<T>(fn);
    EXPECT_TRUE(r) << r.error().message;
    return r.value();
  };
  const ReportScope subtree{from_epoch_ms(kT0), from_epoch_ms(kT0 + 100 * kDay),
                            std::vector<DepartmentId>{ids.parent, ids.child}, false};
  // Founded complaints only, of the subtree, in received order.
  const auto founded = read([&](const ReadTx& tx) { return tx.insight().founded(subtree); });
  std::vector<std::string> codes;
  for (const auto& f : founded) codes.push_back(f.tracking_code);
  EXPECT_EQ(codes, (std::vector<std::string>{"INS-0", "INS-1", "INS-6"}));
  ASSERT_EQ(founded.size(), 3u);
  EXPECT_EQ(founded[0].urgency, "urgent");
  EXPECT_EQ(founded[0].object_ref, "ORD-1");
  EXPECT_EQ(founded[0].department_id, ids.parent.value);
  EXPECT_EQ(founded[1].department_id, ids.child.value);
  EXPECT_EQ(founded[1].urgency, "");
  EXPECT_EQ(founded[2].received_ms, kT0 + 40 * kDay);
  // Without a department list, every founded complaint, unrouted ones too.
  const ReportScope all{from_epoch_ms(kT0), from_epoch_ms(kT0 + 100 * kDay), std::nullopt, false};
  EXPECT_EQ(read([&](const ReadTx& tx) { return tx.insight().founded(all); }).size(), 5u);
  // The current plan round's remedies.
  const auto remedies =
      read([&](const ReadTx& tx) { return tx.insight().founded_remedies(subtree); });
  std::map<std::int64_t, std::vector<std::string>> by_complaint;
  for (const auto& r : remedies) by_complaint[r.complaint_id].push_back(r.type);
  EXPECT_EQ(by_complaint.size(), 2u);
  EXPECT_EQ(by_complaint[ids.c[0].value], std::vector<std::string>{"refund"});
  EXPECT_EQ(by_complaint[ids.c[1].value], std::vector<std::string>{"repair"});

  // Window counts: baseline days [0, 3), recent [3, 60); only the items with
  // at least `min_recent` recent complaints.
  using Pair = std::pair<std::int64_t, std::int64_t>;
  const HotspotWindows w{from_epoch_ms(kT0), from_epoch_ms(kT0 + 3 * kDay),
                         from_epoch_ms(kT0 + 60 * kDay)};
  const ReportScope everyone{};
  auto objects = read([&](const ReadTx& tx) { return tx.insight().object_counts(everyone, w, 1); });
  std::map<std::string, Pair> obj;
  for (const auto& o : objects) obj[o.key] = {o.recent, o.baseline};
  EXPECT_EQ(obj, (std::map<std::string, Pair>{{"ORD-1", {2, 2}}, {"ORD-2", {2, 0}}}));
  EXPECT_TRUE(
      read([&](const ReadTx& tx) { return tx.insight().object_counts(everyone, w, 3); }).empty());
  // Scoped to the other department: only its complaint.
  const ReportScope other{std::nullopt, std::nullopt, std::vector<DepartmentId>{ids.other}, false};
  objects = read([&](const ReadTx& tx) { return tx.insight().object_counts(other, w, 1); });
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0].key, "ORD-2");
  EXPECT_EQ((Pair{objects[0].recent, objects[0].baseline}), (Pair{1, 0}));
  // Causes, baseline [0, 30), recent [30, 60): "Other" has nothing recent.
  const HotspotWindows w30{from_epoch_ms(kT0), from_epoch_ms(kT0 + 30 * kDay),
                           from_epoch_ms(kT0 + 60 * kDay)};
  auto causes = read([&](const ReadTx& tx) { return tx.insight().cause_counts(everyone, w30, 1); });
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].key, std::string("method\x1f") + "Label");
  EXPECT_EQ((Pair{causes[0].recent, causes[0].baseline}), (Pair{1, 1}));

  // Recurring customers and objects, major complaints, in the first 30 days.
  const ReportScope first{from_epoch_ms(kT0), from_epoch_ms(kT0 + 30 * kDay), std::nullopt, false};
  const auto customers =
      read([&](const ReadTx& tx) { return tx.insight().repeat_groups(first, true); });
  ASSERT_EQ(customers.size(), 2u);
  EXPECT_EQ(customers[0].label, "Ann");
  EXPECT_EQ(customers[0].count, 3);
  EXPECT_EQ(customers[1].count, 3);
  const auto objs =
      read([&](const ReadTx& tx) { return tx.insight().repeat_groups(first, false); });
  ASSERT_EQ(objs.size(), 2u);
  EXPECT_EQ(objs[0].key, "ORD-1");
  EXPECT_EQ(objs[0].count, 3);
  EXPECT_EQ(read([&](const ReadTx& tx) { return tx.insight().major_count(first); }), 1);
  const auto major = read([&](const ReadTx& tx) { return tx.insight().major(first, 10); });
  ASSERT_EQ(major.size(), 1u);
  EXPECT_EQ(major[0].tracking_code, "INS-0");
}

}  // namespace redress::store::insight_checks
