// Use-case tests on a real SQLite file with an injected clock: the parts of
// the lifecycle that depend on time or policy, which the API scenarios
// cannot reach without waiting days.
#include "app/complaints.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "app/admin.h"
#include "app/audit.h"
#include "app/case_records.h"
#include "app/intake_signals.h"
#include "store/sqlite/sqlite_store.h"

namespace redress::app {
namespace {

class ComplaintsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("redress-app-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = store::sqlite::SqliteStore::open((dir_ / "t.db").string(), {}, clock_.now());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    Admin admin(clock_);
    const Actor system{.kind = Actor::Kind::system};
    auto dept = store_->write_sync<Department>([&](store::WriteTx& tx) {
      return admin.add_department(tx, system, Department{DepartmentId{}, "st", "Storage", {}, {}});
    });
    ASSERT_TRUE(dept);
    department_ = dept->id;
    auto cat = store_->write_sync<Category>([&](store::WriteTx& tx) {
      return admin.add_category(tx, system, {"delivery", "Delivery", {}});
    });
    ASSERT_TRUE(cat);
    agent_ = make_actor("agent", Role::agent);
    handler_ = make_actor("handler", Role::handler);
    supervisor_ = make_actor("supervisor", Role::supervisor);
    director_ = make_actor("director", Role::director);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Actor make_actor(const std::string& name, Role role) {
    Admin admin(clock_);
    NewUser u;
    u.username = name;
    u.password_hash = "not-used";
    u.display_name = name;
    u.roles = {role};
    u.department_id = department_.value;
    auto user = store_->write_sync<User>([&](store::WriteTx& tx) {
      return admin.add_user(tx, Actor{.kind = Actor::Kind::system}, u);
    });
    EXPECT_TRUE(user);
    Actor a;
    a.user = user->id;
    a.roles.add(role);
    a.department = department_;
    a.scope = {department_};
    return a;
  }

  ComplaintId submit() {
    IntakeRequest req;
    req.customer = {"Ann", "ann@example.com", "", "en", std::nullopt};
    req.description = "The parcel is late";
    req.channel = Channel::phone;
    auto r = store_->write_sync<IntakeResult>(
        [&](store::WriteTx& tx) { return complaints_.submit(tx, agent_, req); });
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r->complaint.id;
  }

  Result<TransitionResult> act(const Actor& who, ComplaintId id, Action action,
                               TransitionInput in = {}, std::vector<Remedy> remedies = {}) {
    TransitionRequest req;
    req.action = action;
    req.input = std::move(in);
    req.remedies = std::move(remedies);
    return store_->write_sync<TransitionResult>(
        [&](store::WriteTx& tx) { return complaints_.transition(tx, who, id, req); });
  }

  // Takes a complaint to `investigating`.
  ComplaintId investigating(Urgency urgency = Urgency::general) {
    const ComplaintId id = submit();
    EXPECT_TRUE(act(agent_, id, Action::take));
    EXPECT_TRUE(act(agent_, id, Action::accept,
                    {.category = "delivery",
                     .urgency = urgency,
                     .difficulty = Difficulty::simple,
                     .department_id = department_.value}));
    EXPECT_TRUE(act(handler_, id, Action::start_investigation));
    return id;
  }

  std::vector<Event> events(ComplaintId id) {
    return store_
        ->read<std::vector<Event>>(
            [&](const store::ReadTx& tx) { return tx.events().for_complaint(id); })
        .value();
  }

  FixedClock clock_{*parse_iso8601("2026-03-02T09:00:00Z")};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  Complaints complaints_{clock_};
  DepartmentId department_;
  Actor agent_, handler_, supervisor_, director_;
};

// The staff intake route answers with view_of_registered, which reads back
// nothing the registration wrote; it must equal view(), which reads it all:
// the customer, no remedies, the best duplicate flag, the top suggestion.
TEST_F(ComplaintsTest, ViewOfARegistrationEqualsTheViewReadBack) {
  IntakeRequest req;
  req.customer = {"Ann", "ann@example.com", "", "en", std::nullopt};
  req.subject = "Parcel late";
  req.description = "The parcel ordered on 3 February arrived nine days late and crushed.";
  req.channel = Channel::phone;
  req.object_type = "order";
  req.object_ref = "ORD-7";
  auto model = store_->write_sync<std::int64_t>(
      [&](store::WriteTx& tx) { return tx.triage().add_model(clock_.now(), 10, "{}", "model"); });
  ASSERT_TRUE(model) << model.error().message;
  IntakeSignals signals = compute_intake_signals(nullptr, req);
  signals.suggestions = Suggestions{.model_version = *model,
                                    .category = {{"delivery", 0.91}, {"billing", 0.05}},
                                    .department = {{std::to_string(department_.value), 0.8}},
                                    .urgency = {{"general", 0.7}}};
  for (int round = 0; round < 3; ++round) {  // the 2nd and 3rd repeat the 1st
    auto both = store_->write_sync<std::pair<ComplaintView, ComplaintView>>(
        [&](store::WriteTx& tx) -> Result<std::pair<ComplaintView, ComplaintView>> {
          REDRESS_TRY(auto created, complaints_.submit(tx, agent_, req));
          REDRESS_TRY(auto flags, record_intake_signals(tx, created.complaint, signals, {}));
          REDRESS_TRY(auto read_back, complaints_.view(tx, agent_, created.complaint));
          const auto suggestion = recorded_suggestion(created.complaint, signals);
          REDRESS_TRY(auto built, complaints_.view_of_registered(tx, agent_, std::move(created),
                                                                 flags, suggestion));
          return std::pair{std::move(built), std::move(read_back)};
        });
    ASSERT_TRUE(both) << both.error().message;
    const auto& [built, read_back] = *both;
    EXPECT_EQ(built.complaint.id, read_back.complaint.id);
    EXPECT_EQ(built.customer.id, read_back.customer.id);
    EXPECT_EQ(built.customer.name, read_back.customer.name);
    EXPECT_EQ(built.customer.email, read_back.customer.email);
    EXPECT_EQ(built.customer.phone, read_back.customer.phone);
    EXPECT_EQ(built.customer.language, read_back.customer.language);
    EXPECT_EQ(built.customer.reply_channel, read_back.customer.reply_channel);
    EXPECT_TRUE(built.remedies.empty());
    EXPECT_TRUE(read_back.remedies.empty());
    EXPECT_EQ(built.director_required, read_back.director_required);
    EXPECT_EQ(built.allowed_actions, read_back.allowed_actions);
    ASSERT_EQ(built.likely_duplicate.has_value(), round > 0);
    ASSERT_EQ(read_back.likely_duplicate.has_value(), round > 0);
    if (round > 0) {
      EXPECT_EQ(built.likely_duplicate->original, read_back.likely_duplicate->original);
      EXPECT_EQ(built.likely_duplicate->score, read_back.likely_duplicate->score);
      EXPECT_EQ(built.likely_duplicate->reasons, read_back.likely_duplicate->reasons);
      EXPECT_EQ(built.likely_duplicate->flagged_at, read_back.likely_duplicate->flagged_at);
    }
    EXPECT_EQ(built.suggested_category, std::optional<std::string>("delivery"));
    EXPECT_EQ(built.suggested_category, read_back.suggested_category);
    EXPECT_EQ(built.suggested_confidence, read_back.suggested_confidence);
  }
}

TEST_F(ComplaintsTest, AppealAllowedInsideTheWindowOnly) {
  const ComplaintId id = submit();
  ASSERT_TRUE(act(agent_, id, Action::take));
  ASSERT_TRUE(act(agent_, id, Action::reject, {.reason = "no fault", .reply_text = "Sorry"}));
  Actor customer{.kind = Actor::Kind::customer, .roles = RoleSet{Role::customer}, .complaint = id};
  clock_.advance(std::chrono::days(31));  // the default window is 30 days
  auto late = act(customer, id, Action::appeal, {.reason = std::string("please look again")});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::failed_precondition);
  clock_.advance(-std::chrono::days(2));
  auto in_time = act(customer, id, Action::appeal, {.reason = std::string("please look again")});
  ASSERT_TRUE(in_time) << in_time.error().message;
  EXPECT_EQ(in_time->view.complaint.state, State::assessing);
  EXPECT_EQ(in_time->view.complaint.appeal_count, 1);
}

TEST_F(ComplaintsTest, PolicySkipsApprovalAndAgreementButRecordsIt) {
  Policy lenient;
  lenient.name = "no approvals";
  lenient.supervisor_approval = false;
  lenient.customer_agreement = false;
  ASSERT_TRUE(store_->write_sync<Policy>([&](store::WriteTx& tx) {
    return Admin(clock_).add_policy(tx, Actor{.kind = Actor::Kind::system}, lenient);
  }));
  const ComplaintId id = investigating();
  auto proposed = act(handler_, id, Action::propose_plan, {.feasibility = "easy"},
                      {Remedy{.type = RemedyType::apology, .description = "Say sorry"}});
  ASSERT_TRUE(proposed) << proposed.error().message;
  EXPECT_EQ(proposed->view.complaint.state, State::implementing);
  int skipped = 0;
  for (const Event& e : events(id)) {
    if (e.action == "step_skipped") {
      ++skipped;
      EXPECT_NE(e.data.find("no approvals"), std::string::npos) << e.data;
    }
  }
  EXPECT_EQ(skipped, 2);  // plan_review and awaiting_customer
}

TEST_F(ComplaintsTest, UrgentPlanWaitsForTheDirector) {
  const ComplaintId id = investigating(Urgency::urgent);
  ASSERT_TRUE(act(handler_, id, Action::propose_plan, {.feasibility = "ok"},
                  {Remedy{.type = RemedyType::refund, .amount = 20.0, .currency = "EUR"}}));
  auto by_supervisor = act(supervisor_, id, Action::approve_plan, {.instructions = "fine"});
  ASSERT_TRUE(by_supervisor);
  EXPECT_EQ(by_supervisor->view.complaint.state, State::plan_review);
  EXPECT_TRUE(by_supervisor->view.director_required);
  auto by_director = act(director_, id, Action::approve_plan, {.instructions = "go"});
  ASSERT_TRUE(by_director);
  EXPECT_EQ(by_director->view.complaint.state, State::awaiting_customer);
}

TEST_F(ComplaintsTest, LargeCompensationNeedsTheDirectorToo) {
  const ComplaintId id = investigating(Urgency::general);
  ASSERT_TRUE(act(handler_, id, Action::propose_plan, {.feasibility = "ok"},
                  {Remedy{.type = RemedyType::compensation, .amount = 5000.0, .currency = "EUR"}}));
  auto approved = act(supervisor_, id, Action::approve_plan, {.instructions = "fine"});
  ASSERT_TRUE(approved);
  EXPECT_EQ(approved->view.complaint.state, State::plan_review);
}

TEST_F(ComplaintsTest, RefusedTransitionWritesNothing) {
  const ComplaintId id = submit();
  const auto before = events(id).size();
  auto wrong_state = act(agent_, id, Action::reply, {.channel = Channel::email, .text = "x"});
  ASSERT_FALSE(wrong_state);
  EXPECT_EQ(wrong_state.error().code, ErrorCode::failed_precondition);
  auto wrong_role = act(handler_, id, Action::take);
  ASSERT_FALSE(wrong_role);
  EXPECT_EQ(wrong_role.error().code, ErrorCode::forbidden);
  EXPECT_EQ(events(id).size(), before);
}

TEST_F(ComplaintsTest, AuditChainDetectsNothingWhenUntouched) {
  investigating();
  auto report = verify_chain(*store_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->first_broken_id.has_value());
  EXPECT_GE(report->events_checked, 4);
}

}  // namespace
}  // namespace redress::app
