// Webhook signature and payload building (pure), and the outbox rows the
// events write in their own transaction (a real SQLite file, a fixed clock).
#include "app/webhooks.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "app/admin.h"
#include "app/complaints.h"
#include "app/crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace redress::app {
namespace {

using Json = nlohmann::json;

TEST(WebhookSignature, HmacSha256MatchesRfc4231) {
  init_crypto();
  // RFC 4231 test case 2.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSignature, SignsTimestampDotBody) {
  init_crypto();
  // Expected value from Python: hmac.new(b"whsec_test", b'1700000000.{"id":"evt_1"}', sha256).
  EXPECT_EQ(webhook_signature("whsec_test", 1700000000, R"({"id":"evt_1"})"),
            "t=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925");
  // The timestamp is signed: the same body at another time has another signature.
  EXPECT_NE(webhook_signature("whsec_test", 1700000001, R"({"id":"evt_1"})").substr(17),
            webhook_signature("whsec_test", 1700000000, R"({"id":"evt_1"})").substr(17));
  EXPECT_NE(webhook_signature("other", 1700000000, R"({"id":"evt_1"})"),
            webhook_signature("whsec_test", 1700000000, R"({"id":"evt_1"})"));
}

TEST(WebhookEvents, TypeOfEachTimelineEvent) {
  auto type = [](std::string action, std::optional<State> from, std::optional<State> to) {
    return webhook_event_type(EventDraft{ComplaintId{1}, std::move(action), from, to, {}})
        .value_or("none");
  };
  EXPECT_EQ(type("registered", std::nullopt, State::new_), "complaint.created");
  EXPECT_EQ(type("take", State::new_, State::assessing), "complaint.transitioned");
  EXPECT_EQ(type("sla_breached", std::nullopt, std::nullopt), "complaint.breached");
  EXPECT_EQ(type("imported", std::nullopt, State::closed), "none");  // bulk history
  EXPECT_EQ(type("note", std::nullopt, std::nullopt), "none");
  EXPECT_EQ(type("edited", State::assessing, State::assessing), "none");
}

TEST(WebhookEvents, PayloadNamesTheComplaintAndNoPersonalData) {
  Complaint c;
  c.id = ComplaintId{42};
  c.tracking_code = "ABCD2345";
  c.state = State::new_;
  c.channel = Channel::chat;
  c.urgency = Urgency::urgent;
  c.category = "delivery";
  c.department = DepartmentId{3};
  c.description = "My name is Ann and I live at 1 Main Street";
  c.received_at = *parse_iso8601("2026-03-02T09:00:00Z");
  const Instant at = *parse_iso8601("2026-03-02T10:00:00Z");
  const Json p = webhook_payload(
      "evt_x", "complaint.transitioned", at, c,
      EventDraft{c.id, "take", State::new_, State::assessing, Json{{"note", "secret note"}}}, 7);
  EXPECT_EQ(p["id"], "evt_x");
  EXPECT_EQ(p["type"], "complaint.transitioned");
  EXPECT_EQ(p["created_at"], "2026-03-02T10:00:00.000Z");
  EXPECT_EQ(p["data"]["complaint"]["id"], 42);
  EXPECT_EQ(p["data"]["complaint"]["tracking_code"], "ABCD2345");
  EXPECT_EQ(p["data"]["complaint"]["state"], "assessing");  // where the event led
  EXPECT_EQ(p["data"]["complaint"]["urgency"], "urgent");
  EXPECT_EQ(p["data"]["complaint"]["department_id"], 3);
  EXPECT_EQ(p["data"]["from_state"], "new");
  EXPECT_EQ(p["data"]["to_state"], "assessing");
  EXPECT_EQ(p["data"]["timeline_event_id"], 7);
  EXPECT_EQ(p.dump().find("Main Street"), std::string::npos);
  EXPECT_EQ(p.dump().find("secret note"), std::string::npos);

  const Json b = webhook_payload("evt_y", "complaint.breached", at, c,
                                 EventDraft{c.id, "sla_breached", std::nullopt, std::nullopt,
                                            Json{{"clock", "first_response"},
                                                 {"target", "PT3S"},
                                                 {"due_at", "2026-03-02T09:00:03Z"},
                                                 {"holder", "Ann Agent (agent)"}}},
                                 8);
  EXPECT_EQ(b["data"]["sla"]["clock"], "first_response");
  EXPECT_EQ(b["data"]["sla"]["target"], "PT3S");
  EXPECT_FALSE(b["data"]["sla"].contains("holder"));
  EXPECT_EQ(b["data"]["complaint"]["state"], "new");
}

TEST(WebhookEvents, UrlRules) {
  EXPECT_FALSE(webhook_url_problem("https://crm.example.org/hooks/redress").has_value());
  EXPECT_FALSE(webhook_url_problem("http://127.0.0.1:8081/").has_value());
  EXPECT_FALSE(webhook_url_problem("http://[::1]:8081/x").has_value());
  EXPECT_TRUE(webhook_url_problem("ftp://example.org/").has_value());
  EXPECT_TRUE(webhook_url_problem("file:///etc/passwd").has_value());
  EXPECT_TRUE(webhook_url_problem("javascript:alert(1)").has_value());
  EXPECT_TRUE(webhook_url_problem("https://").has_value());
  EXPECT_TRUE(webhook_url_problem("https://user:pw@example.org/").has_value());
  EXPECT_TRUE(webhook_url_problem("https://example.org/a b").has_value());
  EXPECT_TRUE(webhook_url_problem("https://example.org/" + std::string(2001, 'a')).has_value());
}

class WebhookOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    init_crypto();
    dir_ = std::filesystem::temp_directory_path() /
           ("redress-webhook-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = store::sqlite::SqliteStore::open((dir_ / "t.db").string(), {}, clock_.now());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  FixedClock clock_{*parse_iso8601("2026-03-02T09:00:00Z")};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  const Actor system_{.kind = Actor::Kind::system};
};

TEST_F(WebhookOutboxTest, EventsBecomeOutboxRowsOnlyForActiveSubscribers) {
  Webhooks hooks(clock_);
  auto created = store_->write_sync<store::Webhook>([&](store::WriteTx& tx) {
    return hooks.create(tx, system_,
                        {"https://crm.example.org/in",
                         std::vector<std::string>{"complaint.created", "complaint.created"},
                         std::nullopt, std::nullopt});
  });
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created->secret.starts_with("whsec_"));
  EXPECT_EQ(created->events, std::vector<std::string>{"complaint.created"});
  auto transitions_only = store_->write_sync<store::Webhook>([&](store::WriteTx& tx) {
    return hooks.create(tx, system_,
                        {"https://other.example.org/in",
                         std::vector<std::string>{"complaint.transitioned"}, false, "paused"});
  });
  ASSERT_TRUE(transitions_only);
  auto bad = store_->write_sync<store::Webhook>([&](store::WriteTx& tx) {
    return hooks.create(tx, system_,
                        {"gopher://x", std::vector<std::string>{"complaint.closed"}, {}, {}});
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  ASSERT_EQ(bad.error().fields.size(), 2u);

  Complaints complaints(clock_);
  IntakeRequest req;
  req.customer = {"Ann", "", "+1 555 0100", "en", std::nullopt};
  req.description = "The parcel is late";
  auto intake = store_->write_sync<IntakeResult>([&](store::WriteTx& tx) {
    return complaints.submit(tx, Actor{.kind = Actor::Kind::customer}, req);
  });
  ASSERT_TRUE(intake) << intake.error().message;
  auto rows = store_->read<std::vector<store::OutboxMessage>>(
      [&](const store::ReadTx& tx) { return tx.outbox().for_complaint(intake->complaint.id); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);  // no e-mail address: only the webhook row
  const auto& row = rows->front();
  EXPECT_EQ(row.channel, "webhook");
  EXPECT_EQ(row.kind, "complaint.created");
  EXPECT_EQ(row.recipient, "webhook:" + std::to_string(created->id));
  const Json body = Json::parse(row.payload);
  EXPECT_EQ(body["id"], row.message_id);
  EXPECT_EQ(body["data"]["complaint"]["tracking_code"], intake->complaint.tracking_code);
  auto jobs = store_->read<std::vector<store::Job>>(
      [&](const store::ReadTx& tx) { return tx.jobs().list(std::string("pending"), 50); });
  ASSERT_TRUE(jobs);
  int deliveries = 0;
  for (const auto& j : *jobs) deliveries += j.kind == kWebhookDeliverJob ? 1 : 0;
  EXPECT_EQ(deliveries, 1);
}

}  // namespace
}  // namespace redress::app
