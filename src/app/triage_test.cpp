// Triage use cases on a real SQLite file with an injected clock: training
// from confirmed complaints, suggestions at intake, pre-fill rules, the
// outcome recorded at accept, and the model swap while serving.
#include "app/triage.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include "app/admin.h"
#include "app/complaints.h"
#include "store/sqlite/sqlite_store.h"

namespace redress::app {
namespace {

struct Topic {
  const char* category;
  Urgency urgency;
  std::vector<const char*> texts;
};

// Two topics, in English, Chinese and Vietnamese, as confirmed by agents.
const std::vector<Topic>& topics() {
  static const std::vector<Topic> t = {
      {"delivery",
       Urgency::general,
       {"The parcel never arrived and tracking shows nothing",
        "Delivery is two weeks late, the courier lost my package",
        "My package was delivered to the wrong address", "快递一直没有送到，包裹丢失",
        "包裹送错地址，快递员态度差", "giao hàng chậm , gói hàng bị thất lạc",
        "The courier left the parcel in the rain", "Parcel tracking has not updated for ten days"}},
      {"billing",
       Urgency::urgent,
       {"I was charged twice on my invoice this month",
        "The bill shows a fee I never agreed to, refund the overcharge",
        "Wrong amount debited from my bank account for the invoice", "账单重复扣费，要求退款",
        "发票金额错误，多收了费用", "hóa đơn bị tính tiền hai lần , yêu cầu hoàn tiền",
        "Refund the duplicate charge on my bill",
        "Billing error: my card was debited an unexpected fee"}},
  };
  return t;
}

class TriageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("redress-triage-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = store::sqlite::SqliteStore::open((dir_ / "t.db").string(), {}, clock_.now());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    Admin admin(clock_);
    const Actor system{.kind = Actor::Kind::system};
    for (const char* code : {"logistics", "finance"}) {
      auto dept = store_->write_sync<Department>([&](store::WriteTx& tx) {
        return admin.add_department(tx, system, Department{DepartmentId{}, code, code, {}, {}});
      });
      ASSERT_TRUE(dept);
      departments_.push_back(dept->id);
    }
    for (const char* code : {"delivery", "billing"}) {
      auto cat = store_->write_sync<Category>([&](store::WriteTx& tx) {
        return admin.add_category(tx, system, {code, code, {}});
      });
      ASSERT_TRUE(cat);
    }
    NewUser u;
    u.username = "agent";
    u.password_hash = "not-used";
    u.display_name = "agent";
    u.roles = {Role::agent};
    u.department_id = departments_[0].value;
    auto user =
        store_->write_sync<User>([&](store::WriteTx& tx) { return admin.add_user(tx, system, u); });
    ASSERT_TRUE(user);
    agent_.user = user->id;
    agent_.roles.add(Role::agent);
    agent_.department = departments_[0];
    agent_.scope = {departments_[0]};
    agent_.wide_scope = true;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  ComplaintId submit(const std::string& text, const TriageService* service = nullptr) {
    IntakeRequest req;
    req.customer = {"Ann", "ann@example.com", "", "en", std::nullopt};
    req.description = text;
    req.channel = Channel::phone;
    std::optional<Suggestions> s;
    if (service) s = service->suggest(req.subject, req.description);
    auto r = store_->write_sync<IntakeResult>([&](store::WriteTx& tx) -> Result<IntakeResult> {
      REDRESS_TRY(auto created, complaints_.submit(tx, agent_, req));
      if (s)
        REDRESS_CHECK(
            tx.triage().add_suggestion(stored_suggestion(created.complaint.id, *s, clock_.now())));
      return created;
    });
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r->complaint.id;
  }

  Result<TransitionResult> accept(ComplaintId id, const std::string& category, Urgency urgency,
                                  DepartmentId department) {
    auto take = store_->write_sync<TransitionResult>([&](store::WriteTx& tx) {
      return complaints_.transition(tx, agent_, id, {.action = Action::take});
    });
    if (!take) return take;
    TransitionRequest req{.action = Action::accept};
    req.input = {.category = category,
                 .urgency = urgency,
                 .difficulty = Difficulty::simple,
                 .department_id = department.value};
    return store_->write_sync<TransitionResult>(
        [&](store::WriteTx& tx) { return complaints_.transition(tx, agent_, id, req); });
  }

  // Every topic text registered and confirmed: delivery → logistics,
  // billing → finance.
  void confirm_history() {
    for (std::size_t t = 0; t < topics().size(); ++t) {
      for (const char* text : topics()[t].texts) {
        ASSERT_TRUE(
            accept(submit(text), topics()[t].category, topics()[t].urgency, departments_[t]));
      }
    }
  }

  Complaint load(ComplaintId id) {
    return store_
        ->read<std::optional<Complaint>>(
            [&](const store::ReadTx& tx) { return tx.complaints().find(id); })
        .value()
        .value();
  }

  FixedClock clock_{*parse_iso8601("2026-03-02T09:00:00Z")};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  Complaints complaints_{clock_};
  std::vector<DepartmentId> departments_;
  Actor agent_;
};

TEST_F(TriageTest, NothingToLearnStoresNoModel) {
  submit("unconfirmed complaint");  // never accepted: no confirmed field
  TriageService service;
  auto trained = train_and_store(*store_, clock_, service.options(), &service);
  ASSERT_TRUE(trained) << trained.error().message;
  EXPECT_EQ(trained->version, 0);
  EXPECT_EQ(service.current(), nullptr);
  EXPECT_FALSE(service.suggest("", "anything"));
}

TEST_F(TriageTest, ConfirmedComplaintsTrainAModelThatSuggestsTheirTopic) {
  confirm_history();
  TriageService service;
  auto trained = train_and_store(*store_, clock_, service.options(), &service);
  ASSERT_TRUE(trained) << trained.error().message;
  EXPECT_EQ(trained->version, 1);
  EXPECT_EQ(trained->examples, 16);
  EXPECT_TRUE(trained->fields["category"]["model"].get<bool>());
  ASSERT_NE(service.current(), nullptr);
  EXPECT_EQ(service.current()->version, 1);

  const auto s = service.suggest("Refund please", "I was charged twice for one invoice");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->model_version, 1);
  ASSERT_FALSE(s->category.empty());
  EXPECT_EQ(s->category[0].value, "billing");
  EXPECT_EQ(s->department[0].value, std::to_string(departments_[1].value));
  EXPECT_EQ(s->urgency[0].value, "urgent");
  EXPECT_EQ(service.suggest("", "快递包裹丢失")->category[0].value, "delivery");
  EXPECT_EQ(service.suggest("", "gói hàng giao chậm")->category[0].value, "delivery");

  // A fresh service (a restarted server) loads the stored version.
  TriageService restarted;
  auto v = restarted.refresh(*store_);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, 1);
  EXPECT_EQ(restarted.suggest("", "courier lost the parcel")->category[0].value, "delivery");
}

TEST_F(TriageTest, SuggestionsAreStoredPrefilledAboveTheThresholdAndComparedAtAccept) {
  confirm_history();
  TriageService service;
  ASSERT_TRUE(train_and_store(*store_, clock_, service.options(), &service));
  const ComplaintId id = submit("The courier lost my parcel, delivery never arrived", &service);

  auto view = store_->read<TriageView>(
      [&](const store::ReadTx& tx) { return triage_view(tx, agent_, id, service.options()); });
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->model_version, 1);
  EXPECT_EQ(view->suggestions["category"][0]["value"], "delivery");
  EXPECT_EQ(view->prefill["category"], "delivery");
  EXPECT_EQ(view->prefill["department_id"], departments_[0].value);
  EXPECT_FALSE(view->outcome);

  // Nothing is pre-filled below the threshold.
  TriageOptions strict;
  strict.prefill_threshold = 0.999;
  auto none = store_->read<TriageView>(
      [&](const store::ReadTx& tx) { return triage_view(tx, agent_, id, strict); });
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->prefill.empty()) << none->prefill.dump();

  // The agent overrides the category: the outcome records both.
  ASSERT_TRUE(accept(id, "billing", Urgency::general, departments_[0]));
  auto after = store_->read<TriageView>(
      [&](const store::ReadTx& tx) { return triage_view(tx, agent_, id, service.options()); });
  ASSERT_TRUE(after && after->outcome);
  EXPECT_EQ((*after->outcome)["category"]["suggested"], "delivery");
  EXPECT_EQ((*after->outcome)["category"]["chosen"], "billing");
  EXPECT_FALSE((*after->outcome)["category"]["taken"].get<bool>());
  EXPECT_TRUE((*after->outcome)["department"]["taken"].get<bool>());
  // Fields are set now, so nothing more is pre-filled; urgency "general" is
  // never lowered, but a more urgent suggestion may still raise it.
  EXPECT_FALSE(after->prefill.contains("category"));
  EXPECT_FALSE(after->prefill.contains("department_id"));
}

TEST_F(TriageTest, UrgencySuggestionNeverLowersASetUrgency) {
  confirm_history();
  TriageService service;
  ASSERT_TRUE(train_and_store(*store_, clock_, service.options(), &service));
  // A delivery complaint: the model suggests "general".
  const ComplaintId id = submit("Delivery is late, the parcel was lost by the courier", &service);
  auto before = store_->read<TriageView>(
      [&](const store::ReadTx& tx) { return triage_view(tx, agent_, id, service.options()); });
  ASSERT_TRUE(before);
  ASSERT_EQ(before->suggestions["urgency"][0]["value"], "general");
  EXPECT_EQ(before->prefill["urgency"], "general");  // unset: filled in
  // Once an agent set it to urgent, the "general" suggestion is not offered.
  ASSERT_TRUE(accept(id, "delivery", Urgency::urgent, departments_[0]));
  auto after = store_->read<TriageView>(
      [&](const store::ReadTx& tx) { return triage_view(tx, agent_, id, service.options()); });
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->prefill.contains("urgency")) << after->prefill.dump();
}

TEST_F(TriageTest, OldModelKeepsServingWhileANewOneTrains) {
  confirm_history();
  TriageService service;
  ASSERT_TRUE(train_and_store(*store_, clock_, service.options(), &service));
  const auto old_model = service.current();
  ASSERT_EQ(old_model->version, 1);

  // Retrain on a second thread while this one keeps asking for suggestions:
  // every answer comes from a complete model (version 1, then 2), never none.
  std::atomic<bool> done{false};
  Result<TrainingSummary> second = fail(Error::internal("not run"));
  std::thread trainer([&] {
    second = train_and_store(*store_, clock_, service.options(), &service);
    done = true;
  });
  std::set<std::int64_t> versions_seen;
  int answers = 0;
  while (!done.load() || answers < 10) {
    const auto s = service.suggest("", "charged twice on my bill");
    ASSERT_TRUE(s);
    ASSERT_FALSE(s->category.empty());
    EXPECT_EQ(s->category[0].value, "billing");
    versions_seen.insert(s->model_version);
    ++answers;
  }
  trainer.join();
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(service.current()->version, 2);
  EXPECT_TRUE(versions_seen.contains(1) || versions_seen.contains(2));
  for (const auto v : versions_seen) EXPECT_TRUE(v == 1 || v == 2);
  // The old model a request still holds stays valid after the swap.
  EXPECT_EQ(suggest(*old_model, "", "charged twice", 1).category[0].value, "billing");
  // Installing an older version does not go back.
  service.install(old_model);
  EXPECT_EQ(service.current()->version, 2);
}

TEST_F(TriageTest, ModelBundleRoundTripsAndRejectsGarbage) {
  confirm_history();
  TriageService service;
  ASSERT_TRUE(train_and_store(*store_, clock_, service.options(), &service));
  const std::string bytes = service.current()->serialize().value();
  auto back = TriageModel::deserialize(bytes);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(suggest(*back, "", "invoice overcharge", 3).category[0].value, "billing");
  EXPECT_FALSE(TriageModel::deserialize("garbage"));
  EXPECT_FALSE(TriageModel::deserialize(bytes.substr(0, bytes.size() / 2)));
}

TEST_F(TriageTest, LargeSetsLearnWithFastTextAndServeTheSameWay) {
  confirm_history();
  TriageOptions options;
  options.fasttext_min_rows = 10;  // this history's 16 complaints count as large
  options.fasttext.threads = 1;    // deterministic
  options.fasttext.epochs = 100;   // a tiny set needs many passes
  TriageService service(options);
  auto trained = train_and_store(*store_, clock_, service.options(), &service);
  ASSERT_TRUE(trained) << trained.error().message;
  EXPECT_EQ(trained->fields["category"]["learner"], "fasttext");
  EXPECT_EQ(trained->fields["urgency"]["learner"], "fasttext");
  ASSERT_NE(service.current(), nullptr);
  EXPECT_TRUE(service.current()->fasttext);
  EXPECT_FALSE(service.current()->category);

  const auto check = [&](const TriageService& s) {
    const auto billing = s.suggest("Refund please", "I was charged twice for one invoice");
    ASSERT_TRUE(billing);
    ASSERT_FALSE(billing->category.empty());
    EXPECT_EQ(billing->category[0].value, "billing");
    EXPECT_EQ(billing->department[0].value, std::to_string(departments_[1].value));
    EXPECT_EQ(billing->urgency[0].value, "urgent");
    EXPECT_LE(billing->category.size(), s.options().top);
    EXPECT_EQ(s.suggest("", "快递包裹丢失")->category[0].value, "delivery");
  };
  check(service);

  // A restarted server reads the stored bundle and suggests the same.
  TriageService restarted(options);
  auto v = restarted.refresh(*store_);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, trained->version);
  check(restarted);

  const std::string bytes = service.current()->serialize().value();
  auto back = TriageModel::deserialize(bytes);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->fasttext_field, service.current()->fasttext_field);
  EXPECT_FALSE(TriageModel::deserialize(bytes.substr(0, bytes.size() - 3)));
  std::string damaged = bytes;
  damaged[damaged.size() - 10] = static_cast<char>(damaged[damaged.size() - 10] ^ 1);
  EXPECT_FALSE(TriageModel::deserialize(damaged));
}

TEST_F(TriageTest, FastTextFieldWithoutAModelSuggestsNothingAndSurvivesTheBundle) {
  // Every complaint confirmed to the same department: that field has one
  // value, so nothing to learn; the other two fields share the fastText model.
  for (const Topic& topic : topics()) {
    for (const char* text : topic.texts) {
      ASSERT_TRUE(accept(submit(text), topic.category, topic.urgency, departments_[0]));
    }
  }
  TriageOptions options;
  options.fasttext_min_rows = 10;
  options.fasttext.threads = 1;
  options.fasttext.epochs = 100;
  TriageService service(options);
  auto trained = train_and_store(*store_, clock_, service.options(), &service);
  ASSERT_TRUE(trained) << trained.error().message;
  EXPECT_EQ(trained->fields["department"]["model"], false);
  EXPECT_FALSE(trained->fields["department"].contains("learner"));
  EXPECT_EQ(trained->fields["category"]["learner"], "fasttext");
  ASSERT_NE(service.current(), nullptr);
  EXPECT_EQ(service.current()->fasttext_field, (std::array<int, 3>{0, -1, 1}));

  const auto check = [](const TriageService& s) {
    const auto billing = s.suggest("", "I was charged twice for one invoice, refund it");
    ASSERT_TRUE(billing);
    ASSERT_FALSE(billing->category.empty());
    EXPECT_EQ(billing->category[0].value, "billing");
    EXPECT_EQ(billing->urgency[0].value, "urgent");
    EXPECT_TRUE(billing->department.empty());
  };
  check(service);
  TriageService restarted(options);
  ASSERT_TRUE(restarted.refresh(*store_));
  check(restarted);

  // A bundle naming a field the fastText model does not have is refused.
  const std::string bytes = service.current()->serialize().value();
  const std::size_t department_slot = std::string_view("RDTRIAGEBUNDLE2\n").size() + 8;
  for (const std::uint64_t bad : {std::uint64_t{2}, static_cast<std::uint64_t>(-2)}) {
    std::string damaged = bytes;  // slots are host-order u64s, as serialize() writes them
    std::memcpy(damaged.data() + department_slot, &bad, sizeof bad);
    EXPECT_FALSE(TriageModel::deserialize(damaged)) << bad;
  }
}

TEST_F(TriageTest, TrainingReadsOnlyTheStartOfLongDescriptions) {
  // 5,000 two-byte characters: training reads the first 3,000 (the learners'
  // max_text_bytes, counted in characters, so never less than they read),
  // cut on a character boundary.
  std::string long_text;
  for (int i = 0; i < 5000; ++i) long_text += "é";
  ASSERT_TRUE(accept(submit(long_text), "billing", Urgency::general, departments_[1]));
  const auto rows = store_->read<std::vector<store::TriageTrainingRow>>(
      [](const store::ReadTx& tx) { return tx.triage().training_rows(10, 3000); });
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1U);
  const std::string& text = rows->front().text;
  const std::string description = text.substr(text.rfind('\n') + 1);
  EXPECT_EQ(description.size(), 6000U);
  EXPECT_EQ(description, long_text.substr(0, 6000));
  // The product asks for what its learners read.
  TriageService service;
  auto trained = train_and_store(*store_, clock_, service.options(), &service);
  ASSERT_TRUE(trained) << trained.error().message;
  EXPECT_EQ(trained->examples, 1);
}

TEST(TriageSchedule, NightlyRunIsTheNextTwoAmUtc) {
  EXPECT_EQ(format_iso8601(next_nightly_training(*parse_iso8601("2026-03-02T09:00:00Z"))),
            "2026-03-03T02:00:00.000Z");
  EXPECT_EQ(format_iso8601(next_nightly_training(*parse_iso8601("2026-03-02T01:59:00Z"))),
            "2026-03-02T02:00:00.000Z");
  EXPECT_EQ(format_iso8601(next_nightly_training(*parse_iso8601("2026-03-02T02:00:00Z"))),
            "2026-03-03T02:00:00.000Z");
}

}  // namespace
}  // namespace redress::app
