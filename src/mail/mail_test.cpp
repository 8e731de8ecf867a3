#include <gtest/gtest.h>

#include "mail/inbound.h"
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
                            {"level", 1},
                            {"period_from", "2026-01-01"},
                            {"period_to", "2026-07-01"}};
  for (const std::string& kind : template_kinds()) {
    // Complaint mails name the complaint; the management review its period.
    const char* identity = kind == "management_review" ? "2026-01-01" : "RD-ABCDEFGH";
    for (const char* lang : {"en", "es", "fr", "zh-Hans", "zh-Hant", "vi"}) {
      auto m = render(kind, lang, data);
      ASSERT_TRUE(m.has_value()) << kind << " " << lang;
      EXPECT_NE(m->subject.find(identity), std::string::npos) << kind << " " << lang;
      EXPECT_EQ(m->subject.find('\n'), std::string::npos);
      EXPECT_FALSE(m->body.empty());
    }
  }
  auto ack = render("acknowledgement", "fr", data);
  EXPECT_NE(ack->body.find("numéro de suivi est RD-ABCDEFGH"), std::string::npos);
  EXPECT_NE(ack->body.find("http://x/track/RD-ABCDEFGH"), std::string::npos);
  // No HTML escaping in text mail; unknown languages fall back to English.
  auto q = render("question", "de", {{"text", "a < b & \"c\""}, {"tracking_code", "X"}});
  EXPECT_NE(q->body.find("a < b & \"c\""), std::string::npos);
  EXPECT_FALSE(render("nonsense", "en", data).has_value());
}

TEST(Templates, ShippedTemplatesPassTheirOwnValidation) {
  for (const std::string& kind : template_kinds()) {
    for (const std::string& lang : template_languages()) {
      auto t = shipped_template(kind, lang);
      ASSERT_TRUE(t.has_value()) << kind << " " << lang;
      EXPECT_TRUE(validate_template(kind, t->subject, t->body).empty()) << kind << " " << lang;
    }
  }
}

TEST(Templates, ValidationNamesFieldAndRule) {
  auto errors = validate_template("acknowledgement", "Hello {{customer_name}}",
                                  "Code {{tracking_code}} {{#tracking_link}}{{tracking_link}}"
                                  "{{/tracking_link}}{{! a comment }}");
  EXPECT_TRUE(errors.empty());
  errors = validate_template("acknowledgement", "Hello {{password}}", "{{#tracking_code}}");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "subject");
  EXPECT_NE(errors[0].message.find("unknown variable 'password'"), std::string::npos);
  EXPECT_EQ(errors[1].field, "body");
  EXPECT_NE(errors[1].message.find("not valid mustache"), std::string::npos);
  // `text` is known to a question, not to an acknowledgement.
  EXPECT_TRUE(validate_template("question", "Q {{tracking_code}}", "{{text}}").empty());
  EXPECT_FALSE(validate_template("acknowledgement", "A", "{{text}}").empty());
  EXPECT_FALSE(validate_template("reply", "R", "{{> header}}").empty());
  EXPECT_FALSE(validate_template("reply", "R", "{{=<% %>=}}").empty());
  EXPECT_FALSE(validate_template("reply", "two\nlines", "body").empty());
  EXPECT_FALSE(validate_template("reply", "", "body").empty());
}

TEST(Templates, OverridesComeFirstThenFallBackToShipped) {
  const nlohmann::json data{{"tracking_code", "RD-1"}, {"customer_name", "Ana"}};
  TemplateLookup lookup = [](const std::string& kind,
                             const std::string& lang) -> std::optional<RenderedMail> {
    if (kind == "acknowledgement" && lang == "en") {
      return RenderedMail{"Custom {{tracking_code}}", "Hi {{customer_name}}"};
    }
    return std::nullopt;
  };
  auto en = render("acknowledgement", "en", data, lookup);
  ASSERT_TRUE(en);
  EXPECT_EQ(en->subject, "Custom RD-1");
  EXPECT_EQ(en->body, "Hi Ana");
  // German has no template: the English override applies.
  EXPECT_EQ(render("acknowledgement", "de", data, lookup)->subject, "Custom RD-1");
  // French ships its own and has no override.
  EXPECT_NE(render("acknowledgement", "fr", data, lookup)->subject.find("réclamation"),
            std::string::npos);
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

TEST(Message, AttachmentsRoundTripThroughTheParser) {
  Envelope e;
  e.from = "redress@example.org";
  e.to = "director@example.org";
  e.message_id = "outbox-9.abc@example.org";
  e.date = from_epoch_ms(1'790'000'000'000);
  std::string pdf = "%PDF-1.5\n";
  for (int i = 0; i < 4000; ++i) pdf += static_cast<char>(i % 256);  // NULs and high bytes
  const std::vector<MailAttachment> files{{"báo-cáo-2026H1.pdf", "application/pdf", pdf},
                                          {"notes.txt", "text/plain", "a\r\nb"}};
  auto text = build_message(e, "Báo cáo xem xét", "Kính gửi,\n", files);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_NE(text->find("multipart/mixed"), std::string::npos);
  auto parsed = parse_inbound(*text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->body.substr(0, parsed->body.find_last_not_of('\n') + 1), "Kính gửi,");
  ASSERT_EQ(parsed->attachments.size(), 2U);
  EXPECT_EQ(parsed->attachments[0].filename, "báo-cáo-2026H1.pdf");
  EXPECT_EQ(parsed->attachments[0].content_type, "application/pdf");
  EXPECT_EQ(parsed->attachments[0].data, pdf);
  EXPECT_EQ(parsed->attachments[1].data, "a\r\nb");

  const std::vector<MailAttachment> bad{{"x", "pdf", "x"}};
  auto refused = build_message(e, "s", "b", bad);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().fields.at(0).field, "attachment");
}

}  // namespace
}  // namespace redress::mail
