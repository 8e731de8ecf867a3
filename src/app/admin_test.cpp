// Editing and retiring the organisation on a real SQLite file with a fixed
// clock: the guards an administrator relies on (no self-lockout, no
// headless organisation, no department cycle), the sessions a retirement
// ends, the change log, and that routing refuses what was retired.
#include "app/admin.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "app/complaints.h"
#include "store/sqlite/sqlite_store.h"

namespace redress::app {
namespace {

class AdminEditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("redress-admin-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = store::sqlite::SqliteStore::open((dir_ / "t.db").string(), {}, clock_.now());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    parent_ = department("ops", {});
    child_ = department("ops.north", parent_);
    ASSERT_TRUE(write<Category>([&](store::WriteTx& tx) {
      return admin_.add_category(tx, system_, {"delivery", "Delivery", {}});
    }));
    alice_ = user("alice", Role::admin);
    bob_ = user("bob", Role::admin);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  template <class T, class F>
  Result<T> write(F fn) {
    return store_->write_sync<T>([&](store::WriteTx& tx) { return fn(tx); });
  }
  DepartmentId department(const std::string& code, std::optional<DepartmentId> parent) {
    auto d = write<Department>([&](store::WriteTx& tx) {
      return admin_.add_department(tx, system_,
                                   Department{.code = code, .name = code, .parent = parent});
    });
    EXPECT_TRUE(d);
    return d->id;
  }
  Actor user(const std::string& name, Role role) {
    NewUser u{.username = name, .password_hash = "x", .display_name = name, .roles = {role}};
    u.department_id = parent_.value;
    auto made = write<User>([&](store::WriteTx& tx) { return admin_.add_user(tx, system_, u); });
    EXPECT_TRUE(made);
    Actor a;
    a.user = made->id;
    a.roles.add(role);
    a.department = parent_;
    a.scope = {parent_, child_};
    return a;
  }
  User load(UserId id) {
    return *store_
                ->read<std::optional<User>>(
                    [&](const store::ReadTx& tx) { return tx.directory().user(id); })
                .value();
  }
  static bool names(const Error& e, const std::string& field) {
    for (const auto& f : e.fields) {
      if (f.field == field) return true;
    }
    return false;
  }

  FixedClock clock_{*parse_iso8601("2026-03-02T09:00:00Z")};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  Admin admin_{clock_};
  const Actor system_{.kind = Actor::Kind::system};
  DepartmentId parent_, child_;
  Actor alice_, bob_;
};

TEST_F(AdminEditTest, UserGuardsAndRetirementEndsSessions) {
  // Alice cannot retire herself nor drop her own admin role.
  auto self = write<User>([&](store::WriteTx& tx) {
    return admin_.update_user(tx, alice_, alice_.user, {.active = false});
  });
  ASSERT_FALSE(self);
  EXPECT_TRUE(names(self.error(), "active"));
  auto demote = write<User>([&](store::WriteTx& tx) {
    return admin_.update_user(tx, alice_, alice_.user, {.roles = std::vector{Role::agent}});
  });
  ASSERT_FALSE(demote);
  EXPECT_TRUE(names(demote.error(), "roles"));

  // Bob has a session; Alice retires him: the session is gone in the same write.
  ASSERT_TRUE(write<bool>([&](store::WriteTx& tx) -> Result<bool> {
    REDRESS_CHECK(tx.auth().add_session({"bob-session", bob_.user, "csrf", clock_.now(),
                                         clock_.now() + std::chrono::hours(1), clock_.now()}));
    return true;
  }));
  clock_.advance(std::chrono::minutes(5));
  ASSERT_TRUE(write<User>([&](store::WriteTx& tx) {
    return admin_.update_user(tx, alice_, bob_.user, {.display_name = "Bob B.", .active = false});
  }));
  EXPECT_FALSE(load(bob_.user).active);
  EXPECT_EQ(load(bob_.user).display_name, "Bob B.");
  auto session = store_->read<std::optional<store::SessionRecord>>(
      [](const store::ReadTx& tx) { return tx.auth().session("bob-session"); });
  ASSERT_TRUE(session);
  EXPECT_FALSE(session->has_value());

  // Now Alice is the last active administrator: no one may take that away.
  auto last = write<User>([&](store::WriteTx& tx) {
    return admin_.update_user(tx, system_, alice_.user, {.active = false});
  });
  ASSERT_FALSE(last);
  EXPECT_TRUE(names(last.error(), "active"));
  EXPECT_TRUE(load(alice_.user).active);  // nothing written

  // The change log names who retired Bob, when, and what changed.
  auto log = store_->read<std::vector<store::AdminChange>>([&](const store::ReadTx& tx) {
    return admin_.changes(tx, alice_, std::string("user"), std::to_string(bob_.user.value), 0, 10);
  });
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 2u);  // newest first: deactivated, created
  EXPECT_EQ((*log)[0].action, "deactivated");
  EXPECT_EQ((*log)[0].actor, alice_.user);
  EXPECT_EQ((*log)[0].at, clock_.now());
  EXPECT_NE((*log)[0].after.find("\"sessions_ended\":1"), std::string::npos) << (*log)[0].after;
  EXPECT_EQ((*log)[1].action, "created");
}

TEST_F(AdminEditTest, DepartmentTreeCannotCycleAndRetiresLeavesFirst) {
  auto cycle = write<Department>([&](store::WriteTx& tx) {
    return admin_.update_department(tx, alice_, parent_, {.parent_id = child_.value});
  });
  ASSERT_FALSE(cycle);
  EXPECT_TRUE(names(cycle.error(), "parent_id"));
  auto itself = write<Department>([&](store::WriteTx& tx) {
    return admin_.update_department(tx, alice_, parent_, {.parent_id = parent_.value});
  });
  ASSERT_FALSE(itself);
  EXPECT_TRUE(names(itself.error(), "parent_id"));

  auto with_child = write<Department>([&](store::WriteTx& tx) {
    return admin_.update_department(tx, alice_, parent_, {.active = false});
  });
  ASSERT_FALSE(with_child);
  EXPECT_TRUE(names(with_child.error(), "active"));
  ASSERT_TRUE(write<Department>([&](store::WriteTx& tx) {
    return admin_.update_department(tx, alice_, child_, {.active = false});
  }));
  // A retired department is no parent for a new one, nor for a moved one.
  auto under_retired = write<Department>([&](store::WriteTx& tx) {
    return admin_.add_department(tx, alice_,
                                 Department{.code = "x", .name = "X", .parent = child_});
  });
  ASSERT_FALSE(under_retired);
  EXPECT_TRUE(names(under_retired.error(), "parent_id"));
  ASSERT_TRUE(write<Department>([&](store::WriteTx& tx) {
    return admin_.update_department(tx, alice_, parent_, {.name = "Operations", .active = false});
  }));
  // Retired parent: the child cannot come back before it.
  auto back = write<Department>([&](store::WriteTx& tx) {
    return admin_.update_department(tx, alice_, child_, {.active = true});
  });
  ASSERT_FALSE(back);
  EXPECT_TRUE(names(back.error(), "active"));
}

TEST_F(AdminEditTest, RoutingAndClassificationRefuseWhatWasRetired) {
  Complaints complaints{clock_};
  Actor agent = user("agent", Role::agent);
  IntakeRequest req;
  req.customer = {"Ann", "ann@example.com", "", "en", std::nullopt};
  req.description = "The parcel is late";
  req.channel = Channel::phone;
  auto made =
      write<IntakeResult>([&](store::WriteTx& tx) { return complaints.submit(tx, agent, req); });
  ASSERT_TRUE(made);
  const ComplaintId id = made->complaint.id;
  auto act = [&](Action action, TransitionInput in) {
    TransitionRequest r{.action = action, .input = std::move(in)};
    return write<TransitionResult>(
        [&](store::WriteTx& tx) { return complaints.transition(tx, agent, id, r); });
  };
  ASSERT_TRUE(act(Action::take, {}));
  auto rule = write<RoutingRule>([&](store::WriteTx& tx) {
    return admin_.add_routing_rule(tx, alice_, {.name = "north", .department_id = child_.value});
  });
  ASSERT_TRUE(rule);
  ASSERT_TRUE(write<Category>([&](store::WriteTx& tx) {
    return admin_.update_category(tx, alice_, "delivery", {.active = false});
  }));
  ASSERT_TRUE(write<Department>([&](store::WriteTx& tx) {
    return admin_.update_department(tx, alice_, child_, {.active = false});
  }));
  const TransitionInput accept{.category = "delivery",
                               .urgency = Urgency::general,
                               .difficulty = Difficulty::simple,
                               .department_id = child_.value};
  auto refused = act(Action::accept, accept);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(names(refused.error(), "category"));
  EXPECT_TRUE(names(refused.error(), "department_id"));
  // The rule still naming the retired department can be switched off, not kept on.
  RoutingRule on = *rule;
  on.name = "north (renamed)";
  auto kept_on = write<RoutingRule>(
      [&](store::WriteTx& tx) { return admin_.update_routing_rule(tx, alice_, on); });
  ASSERT_FALSE(kept_on);
  EXPECT_TRUE(names(kept_on.error(), "department_id"));
  RoutingRule off = *rule;
  off.active = false;
  EXPECT_TRUE(write<RoutingRule>(
      [&](store::WriteTx& tx) { return admin_.update_routing_rule(tx, alice_, off); }));

  // Brought back, both are offered again.
  ASSERT_TRUE(write<Category>([&](store::WriteTx& tx) {
    return admin_.update_category(tx, alice_, "delivery", {.active = true});
  }));
  ASSERT_TRUE(write<Department>([&](store::WriteTx& tx) {
    return admin_.update_department(tx, alice_, child_, {.active = true});
  }));
  EXPECT_TRUE(act(Action::accept, accept));
}

}  // namespace
}  // namespace redress::app
