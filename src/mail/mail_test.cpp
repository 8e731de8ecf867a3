#include <gtest/gtest.h>

#include "mail/message.h"
#include "mail/templates.h"

namespace redress::mail {
namespace {

TEST(Templates, EveryKindInEveryLanguage) {
  const nlohmann::json data{{"tracking_code", "RD-ABCDEFGH"},
                            {"customer_name", "Ana"},
                            {"recipient_name", "Sofia"},
                            {"text", "T"},
                            {"tracking_link", "http://x/track/RD-ABCDEFGH"},
                            {"clock_label", "first response"},
                            {"target", "PT3S"},
                            {"due_at", "2026-01-01T00:00:00.000Z"},
                            {"holder", "H"},
                            {"reason", "sla_breach"},
                            {"level", 1}};
  for (const std::string& kind : template_kinds()) {
    for (const char* lang : {"en", "es", "fr", "zh-Hans", "zh-Hant", "vi"}) {
      auto m = render(kind, lang, data, std::nullopt);
      ASSERT_TRUE(m.has_value()) << kind << " " << lang;
      EXPECT_NE(m->subject.find("RD-ABCDEFGH"), std::string::npos) << kind << " " << lang;
      EXPECT_EQ(m->subject.find('\n'), std::string::npos);
      EXPECT_FALSE(m->body.empty());
    }
  }
  auto ack = render("acknowledgement", "fr", data, std::nullopt);
  EXPECT_NE(ack->body.find("numéro de suivi est RD-ABCDEFGH"), std::string::npos);
  EXPECT_NE(ack->body.find("http://x/track/RD-ABCDEFGH"), std::string::npos);
  // No HTML escaping in text mail; unknown languages fall back to English.
  auto q =
      render("question", "de", {{"text", "a < b & \"c\""}, {"tracking_code", "X"}}, std::nullopt);
  EXPECT_NE(q->body.find("a < b & \"c\""), std::string::npos);
  EXPECT_FALSE(render("nonsense", "en", data, std::nullopt).has_value());
}

TEST(Message, HeadersAreEncodedAndIdentified) {
  Envelope e;
  e.from = "redress@example.org";
  e.from_name = "Redress";
  e.to = "kh@example.vn";
  e.message_id = "outbox-7.abc@example.org";
  e.date = from_epoch_ms(1'790'000'000'000);
  e.extra_headers = {{"X-Redress-Tracking-Code", "RD-1"}};
  auto text = build_message(e, "受理回执：您的投诉 RD-1 已受理登记", "Xin chào, khiếu nại.\n.\n");
  ASSERT_TRUE(text.has_value());
  EXPECT_NE(text->find("Message-Id: <outbox-7.abc@example.org>"), std::string::npos) << *text;
  EXPECT_NE(text->find("Subject: =?UTF-8?B?"), std::string::npos) << *text;
  EXPECT_NE(text->find("charset=utf-8"), std::string::npos);
  EXPECT_NE(text->find("X-Redress-Tracking-Code: RD-1\r\n"), std::string::npos);
  EXPECT_EQ(text->find("\n", text->find("\r\n") + 2) - 1,
            text->find("\r\n", text->find("\r\n") + 2));
  EXPECT_FALSE(build_message(Envelope{}, "s", "b").has_value());
}

}  // namespace
}  // namespace redress::mail
