// The job runner and the SLA timers on a real SQLite file with an injected
// clock: no test sleeps for an SLA to pass.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "app/admin.h"
#include "app/complaints.h"
#include "app/sla.h"
#include "jobs/handlers.h"
#include "jobs/runner.h"
#include "store/sqlite/sqlite_store.h"

namespace redress::jobs {
namespace {

using namespace std::chrono;

class JobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("redress-jobs-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = store::sqlite::SqliteStore::open((dir_ / "t.db").string(), {}, clock_.now());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    app::Admin admin(clock_);
    auto dept = store_->write_sync<Department>([&](store::WriteTx& tx) {
      return admin.add_department(tx, system_, Department{DepartmentId{}, "st", "Storage", {}, {}});
    });
    ASSERT_TRUE(dept);
    department_ = dept->id;
    ASSERT_TRUE(store_->write_sync<Category>([&](store::WriteTx& tx) {
      return admin.add_category(tx, system_, {"delivery", "Delivery", {}});
    }));
    supervisor_ = add_user("sup", Role::supervisor, "sup@example.org");
    director_ = add_user("boss", Role::director, "boss@example.org");
    agent_ = add_user("agent", Role::agent, "");
    ASSERT_TRUE(store_->write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
      REDRESS_TRY(auto d, tx.directory().department(department_));
      d->supervisor = supervisor_;
      REDRESS_CHECK(tx.directory().update_department(*d));
      return true;
    }));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  UserId add_user(const std::string& name, Role role, const std::string& email) {
    app::Admin admin(clock_);
    app::NewUser u;
    u.username = name;
    u.password_hash = "unused";
    u.display_name = name;
    u.roles = {role};
    u.department_id = department_.value;
    u.email = email;
    auto user = store_->write_sync<User>(
        [&](store::WriteTx& tx) { return admin.add_user(tx, system_, u); });
    EXPECT_TRUE(user);
    return user ? user->id : UserId{};
  }

  Actor staff(UserId id, Role role) {
    Actor a;
    a.kind = Actor::Kind::user;
    a.user = id;
    a.roles = {role};
    a.department = department_;
    a.scope = {department_};
    return a;
  }

  void add_policy(SlaPolicy p) {
    app::Sla sla(clock_);
    auto r = store_->write_sync<SlaPolicy>(
        [&](store::WriteTx& tx) { return sla.add_policy(tx, system_, p); });
    ASSERT_TRUE(r) << r.error().message;
  }

  ComplaintId submit() {
    app::Complaints complaints(clock_);
    app::IntakeRequest req;
    req.customer = {"Kim", "kim@example.org", "", "vi", std::nullopt};
    req.description = "The parcel is late";
    auto r = store_->write_sync<app::IntakeResult>([&](store::WriteTx& tx) {
      return complaints.submit(tx, Actor{.kind = Actor::Kind::customer}, req);
    });
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? r->complaint.id : ComplaintId{};
  }

  void act(ComplaintId id, const Actor& actor, Action action, TransitionInput in = {}) {
    app::Complaints complaints(clock_);
    app::TransitionRequest req;
    req.action = action;
    req.input = std::move(in);
    auto r = store_->write_sync<app::TransitionResult>(
        [&](store::WriteTx& tx) { return complaints.transition(tx, actor, id, req); });
    ASSERT_TRUE(r) << r.error().message;
  }

  template <class T>
  T read(std::move_only_function<Result<T>(const store::ReadTx&)> fn) {
    auto r = store_->read<T>(std::move(fn));
    EXPECT_TRUE(r);
    return r ? std::move(*r) : T{};
  }

  std::vector<std::string> actions(ComplaintId id) {
    auto events = read<std::vector<Event>>(
        [&](const store::ReadTx& tx) { return tx.events().for_complaint(id); });
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.action);
    return out;
  }

  std::vector<store::OutboxMessage> outbox(ComplaintId id) {
    return read<std::vector<store::OutboxMessage>>(
        [&](const store::ReadTx& tx) { return tx.outbox().for_complaint(id); });
  }

  static long count(const std::vector<std::string>& v, const std::string& s) {
    return std::count(v.begin(), v.end(), s);
  }

  FixedClock clock_{*parse_iso8601("2026-03-06T09:00:00Z")};
  const Actor system_{.kind = Actor::Kind::system};
  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  DepartmentId department_;
  UserId supervisor_, director_, agent_;
};

TEST_F(JobsTest, FirstResponseBreachWarnsEscalatesAndHoldsTheDepartmentAccountable) {
  SlaPolicy p;
  p.name = "fast";
  p.first_response = seconds{3};
  p.warning_percent = 50;
  add_policy(p);
  const ComplaintId id = submit();
  act(id, staff(agent_, Role::agent), Action::take);
  TransitionInput accept;
  accept.category = "delivery";
  accept.urgency = Urgency::general;
  accept.difficulty = Difficulty::simple;
  accept.department_id = department_.value;
  act(id, staff(agent_, Role::agent), Action::accept, accept);

  app::Sla sla(clock_);
  Runner runner(*store_, clock_, {});
  runner.add_handler(app::kSlaCheckJob, std::make_unique<SlaCheckHandler>(sla));
  ASSERT_TRUE(runner.run_once());
  EXPECT_EQ(count(actions(id), "sla_warning"), 0);

  clock_.advance(Millis{1600});  // past 50 %
  ASSERT_TRUE(runner.run_once());
  EXPECT_EQ(count(actions(id), "sla_warning"), 1);
  EXPECT_EQ(count(actions(id), "sla_breached"), 0);

  clock_.advance(Millis{1500});  // past 3 s
  ASSERT_TRUE(runner.run_once());
  auto acts = actions(id);
  EXPECT_EQ(count(acts, "sla_breached"), 1);
  EXPECT_EQ(count(acts, "escalated"), 1);
  auto entries = read<std::vector<AccountabilityEntry>>(
      [&](const store::ReadTx& tx) { return tx.records().accountability(id); });
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].kind, "delay");
  EXPECT_NE(entries[0].subject.find("Storage"), std::string::npos) << entries[0].subject;
  auto mails = outbox(id);
  const auto escalations = std::count_if(mails.begin(), mails.end(), [](const auto& m) {
    return m.kind == "escalation" && m.recipient == "user:sup";
  });
  EXPECT_EQ(escalations, 1);
  auto c = read<std::optional<Complaint>>(
      [&](const store::ReadTx& tx) { return tx.complaints().find(id); });
  EXPECT_EQ(c->escalation_level, 1);

  // Running again changes nothing; the second level reaches the director at 200 %.
  ASSERT_TRUE(runner.run_once());
  EXPECT_EQ(count(actions(id), "sla_breached"), 1);
  clock_.advance(seconds{3});
  ASSERT_TRUE(runner.run_once());
  EXPECT_EQ(count(actions(id), "escalated"), 2);
  mails = outbox(id);
  EXPECT_EQ(std::count_if(mails.begin(), mails.end(),
                          [](const auto& m) { return m.recipient == "user:boss"; }),
            1);
  c = read<std::optional<Complaint>>(
      [&](const store::ReadTx& tx) { return tx.complaints().find(id); });
  EXPECT_EQ(c->escalation_level, 2);
}

TEST_F(JobsTest, AStaffQuestionIsTheFirstResponse) {
  SlaPolicy p;
  p.name = "fast";
  p.first_response = seconds{3};
  add_policy(p);
  const ComplaintId id = submit();
  act(id, staff(agent_, Role::agent), Action::take);
  ASSERT_TRUE(store_->write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
    REDRESS_CHECK(app::record_first_response(tx, id, clock_.now()));
    return true;
  }));
  app::Sla sla(clock_);
  Runner runner(*store_, clock_, {});
  runner.add_handler(app::kSlaCheckJob, std::make_unique<SlaCheckHandler>(sla));
  clock_.advance(seconds{10});
  ASSERT_TRUE(runner.run_once());
  EXPECT_EQ(count(actions(id), "sla_breached"), 0);
}

TEST_F(JobsTest, OnHoldPausesTheResolutionClock) {
  SlaPolicy p;
  p.name = "resolution";
  p.resolution = hours{10};
  add_policy(p);
  const ComplaintId id = submit();
  auto clocks = [&] {
    return read<std::vector<store::SlaClock>>(
        [&](const store::ReadTx& tx) { return tx.sla().clocks(id); });
  };
  ASSERT_EQ(clocks().size(), 1U);
  const Instant due = clocks()[0].due_at;
  EXPECT_EQ(due, clock_.now() + hours{10});
  act(id, staff(agent_, Role::agent), Action::take);
  clock_.advance(hours{1});
  TransitionInput hold;
  hold.reason = "waiting for the carrier";
  act(id, staff(supervisor_, Role::supervisor), Action::hold, hold);
  EXPECT_TRUE(clocks()[0].paused_at.has_value());
  clock_.advance(hours{5});
  act(id, staff(supervisor_, Role::supervisor), Action::resume);
  auto after = clocks();
  EXPECT_FALSE(after[0].paused_at.has_value());
  EXPECT_EQ(after[0].paused, hours{5});
  EXPECT_EQ(after[0].due_at, due + hours{5});
}

class Failing final : public JobHandler {
 public:
  int runs = 0;
  int dead = 0;
  Result<Commit> run(const store::Job&) override {
    ++runs;
    return fail(Error::unavailable("the far end is down"));
  }
  Status on_failure(store::WriteTx&, const store::Job&, const std::string&, bool is_dead) override {
    if (is_dead) ++dead;
    return {};
  }
};

TEST_F(JobsTest, FailuresBackOffThenDie) {
  auto job_id = store_->write_sync<std::int64_t>([&](store::WriteTx& tx) {
    return tx.jobs().enqueue("test.fail", "{}", clock_.now(), clock_.now());
  });
  ASSERT_TRUE(job_id);
  auto owned = std::make_unique<Failing>();
  Failing* failing = owned.get();
  Runner runner(*store_, clock_, RunnerOptions{.max_attempts = 3, .base_backoff = seconds{10}});
  runner.add_handler("test.fail", std::move(owned));
  ASSERT_EQ(*runner.run_once(), 1);
  ASSERT_EQ(*runner.run_once(), 0);  // backing off: due in 10 s
  clock_.advance(seconds{10});
  ASSERT_EQ(*runner.run_once(), 1);
  clock_.advance(seconds{10});
  ASSERT_EQ(*runner.run_once(), 0);  // the second wait is 20 s
  clock_.advance(seconds{10});
  ASSERT_EQ(*runner.run_once(), 1);
  EXPECT_EQ(failing->runs, 3);
  EXPECT_EQ(failing->dead, 1);
  auto job = read<std::optional<store::Job>>(
      [&](const store::ReadTx& tx) { return tx.jobs().find(*job_id); });
  EXPECT_EQ(job->state, "dead");
  EXPECT_EQ(job->last_error, "the far end is down");
  clock_.advance(hours{10});
  EXPECT_EQ(*runner.run_once(), 0);
}

TEST_F(JobsTest, ALeasedJobIsNotClaimedTwiceAndComesBackAfterACrash) {
  ASSERT_TRUE(store_->write_sync<std::int64_t>([&](store::WriteTx& tx) {
    return tx.jobs().enqueue("x", "{}", clock_.now(), clock_.now());
  }));
  const std::vector<std::string> kinds{"x"};
  auto claim = [&] {
    return store_->write_sync<std::vector<store::Job>>(
        [&](store::WriteTx& tx) { return tx.jobs().claim(kinds, clock_.now(), seconds{60}, 10); });
  };
  EXPECT_EQ(claim()->size(), 1U);
  EXPECT_EQ(claim()->size(), 0U);  // leased
  clock_.advance(seconds{61});     // the claimer died: the lease ran out
  auto again = claim();
  ASSERT_EQ(again->size(), 1U);
  EXPECT_EQ((*again)[0].attempts, 2);
}

// SLA clocks' checks go in as one statement; each comes due at its own time.
TEST_F(JobsTest, EnqueueAllQueuesEachDraftAtItsTime) {
  const Instant now = clock_.now();
  const std::vector<store::JobDraft> drafts{{R"({"clock_id":7})", now},
                                            {R"({"clock_id":8})", now + hours{1}},
                                            {R"({"clock_id":9})", now + hours{2}}};
  ASSERT_TRUE(store_->write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
    REDRESS_CHECK(tx.jobs().enqueue_all("y", drafts, now));
    REDRESS_CHECK(tx.jobs().enqueue_all("y", {}, now));  // nothing to queue
    return true;
  }));
  const std::vector<std::string> kinds{"y"};
  auto claim = [&] {
    return store_->write_sync<std::vector<store::Job>>(
        [&](store::WriteTx& tx) { return tx.jobs().claim(kinds, clock_.now(), hours{9}, 10); });
  };
  for (int i = 0; i < 3; ++i) {
    auto due = claim();
    ASSERT_TRUE(due) << due.error().message;
    ASSERT_EQ(due->size(), 1U) << "moment " << i;
    EXPECT_EQ((*due)[0].payload, drafts[static_cast<std::size_t>(i)].payload);
    EXPECT_EQ((*due)[0].due_at, drafts[static_cast<std::size_t>(i)].due_at);
    EXPECT_EQ((*due)[0].created_at, now);
    clock_.advance(hours{1});
  }
  EXPECT_EQ(claim()->size(), 0U);
}

TEST_F(JobsTest, UndeliverableMailGoesDeadAfterRetries) {
  const ComplaintId id = submit();
  MailSettings settings;
  settings.smtp.url = "smtp://127.0.0.1:1";  // nothing listens there
  settings.smtp.timeout = seconds{5};
  settings.from = "Redress <redress@example.org>";
  Runner runner(*store_, clock_, RunnerOptions{.max_attempts = 2, .base_backoff = seconds{1}});
  runner.add_handler(kMailDeliverJob,
                     std::make_unique<MailDeliveryHandler>(*store_, clock_, settings));
  ASSERT_EQ(*runner.run_once(), 1);
  EXPECT_EQ(outbox(id)[0].state, "pending");
  EXPECT_EQ(outbox(id)[0].attempts, 1);
  clock_.advance(seconds{1});
  ASSERT_EQ(*runner.run_once(), 1);
  auto row = outbox(id)[0];
  EXPECT_EQ(row.state, "dead");
  EXPECT_EQ(row.attempts, 2);
  EXPECT_NE(row.last_error.find("SMTP"), std::string::npos) << row.last_error;
}

// A stand-in for a long training: blocks until released (bounded, so a
// broken test cannot hang the suite).
class BlockingHandler final : public JobHandler {
 public:
  Result<Commit> run(const store::Job&) override {
    std::unique_lock lock(mutex_);
    started_ = true;
    changed_.notify_all();
    changed_.wait_for(lock, std::chrono::seconds(30), [&] { return released_; });
    return Commit([](store::WriteTx&) -> Status { return {}; });
  }
  bool wait_started() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return started_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool started_ = false, released_ = false;
};

class CountingHandler final : public JobHandler {
 public:
  Result<Commit> run(const store::Job&) override {
    ++runs;
    return Commit([](store::WriteTx&) -> Status { return {}; });
  }
  std::atomic<int> runs{0};
};

TEST_F(JobsTest, SlaAndMailJobsRunWhileATrainingRuns) {
  // As `redress serve` wires them: SLA and mail on the main runner, training
  // on its own runner.
  const RunnerOptions main_options{.poll_interval = Millis{10}};
  Runner runner(*store_, clock_, main_options);
  auto sla = std::make_unique<CountingHandler>();
  auto mail = std::make_unique<CountingHandler>();
  CountingHandler* sla_ptr = sla.get();
  CountingHandler* mail_ptr = mail.get();
  runner.add_handler(app::kSlaCheckJob, std::move(sla));
  runner.add_handler(kMailDeliverJob, std::move(mail));
  RunnerOptions training_options = training_runner_options(main_options);
  EXPECT_EQ(training_options.batch, 1);
  EXPECT_GE(training_options.lease, Millis{3600 * 1000});
  training_options.poll_interval = Millis{10};
  Runner trainer(*store_, clock_, training_options);
  auto training = std::make_unique<BlockingHandler>();
  BlockingHandler* training_ptr = training.get();
  trainer.add_handler(app::kTriageTrainJob, std::move(training));

  const Instant now = clock_.now();
  auto train_job = store_->write_sync<std::int64_t>(
      [&](store::WriteTx& tx) { return tx.jobs().enqueue(app::kTriageTrainJob, "{}", now, now); });
  ASSERT_TRUE(train_job);
  trainer.start();
  runner.start();
  ASSERT_TRUE(training_ptr->wait_started());
  // Queued while the model trains: both must be done before the training ends.
  auto sla_job = store_->write_sync<std::int64_t>(
      [&](store::WriteTx& tx) { return tx.jobs().enqueue(app::kSlaCheckJob, "{}", now, now); });
  auto mail_job = store_->write_sync<std::int64_t>(
      [&](store::WriteTx& tx) { return tx.jobs().enqueue(kMailDeliverJob, "{}", now, now); });
  ASSERT_TRUE(sla_job && mail_job);
  auto state = [&](std::int64_t id) {
    auto job = read<std::optional<store::Job>>(
        [&](const store::ReadTx& tx) { return tx.jobs().find(id); });
    return job ? job->state : std::string("missing");
  };
  for (int i = 0; i < 3000 && (state(*sla_job) != "done" || state(*mail_job) != "done"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(state(*sla_job), "done");
  EXPECT_EQ(state(*mail_job), "done");
  EXPECT_EQ(sla_ptr->runs.load(), 1);
  EXPECT_EQ(mail_ptr->runs.load(), 1);
  EXPECT_EQ(state(*train_job), "pending");  // still training
  training_ptr->release();
  for (int i = 0; i < 3000 && state(*train_job) != "done"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(state(*train_job), "done");
  runner.stop();
  trainer.stop();
}

TEST(ProcessLock, OnlyOneHolder) {
  const auto path =
      std::filesystem::temp_directory_path() / ("redress-lock-" + std::to_string(::getpid()));
  auto first = ProcessLock::try_acquire(path.string());
  ASSERT_TRUE(first);
  // flock locks belong to the open file description: a second open conflicts.
  EXPECT_FALSE(ProcessLock::try_acquire(path.string()));
  first.reset();
  EXPECT_TRUE(ProcessLock::try_acquire(path.string()));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace redress::jobs
