#include "mail/inbound.h"

#include <gtest/gtest.h>

#include "mail/imap.h"

namespace redress::mail {
namespace {

std::string mail(const std::string& headers, const std::string& body) {
  return "From: =?utf-8?q?L=C3=AA_Th=E1=BB=8B?= <le.thi@example.vn>\r\nTo: cs@example.org\r\n" +
         headers + "\r\n" + body;
}

TEST(Inbound, Gb2312BodyAndEncodedSubjectDecodeToUtf8) {
  const std::string raw = mail(
      "Subject: =?GB2312?B?zcu/7tKqx/M=?=\r\nMessage-ID: <a1@example.vn>\r\nMIME-Version: "
      "1.0\r\nContent-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: 8bit\r\n",
      "\xc4\xfa\xba\xc3\xa3\xac\xce\xd2\xb5\xc4\xbf\xec\xb5\xdd\xb6\xaa\xc1\xcb\xa3\xac\xc7\xeb"
      "\xcd\xcb\xbf\xee\xa1\xa3\r\n");
  auto m = parse_inbound(raw);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->body, "您好，我的快递丢了，请退款。");
  EXPECT_EQ(m->subject, "退款要求");
  EXPECT_EQ(m->from_address, "le.thi@example.vn");
  EXPECT_EQ(m->from_name, "Lê Thị");
  EXPECT_EQ(m->message_id, "<a1@example.vn>");
  EXPECT_EQ(guess_language(*m), "zh-Hans");
  EXPECT_TRUE(m->automatic.empty());
}

TEST(Inbound, Windows1258CombiningTonesBecomeNfc) {
  // Windows-1258 writes ố as ô (F4) + combining acute (EC); NFC must give U+1ED1.
  const std::string raw = mail(
      "Subject: khieu nai\r\nContent-Type: text/plain; charset=windows-1258\r\n"
      "Content-Transfer-Encoding: 8bit\r\n",
      "T\xf4i mu\xf4\xecn khi\xea\xecu na\xf2i: \xf0\xf5n ha\xcc"
      "ng bi\xf2 giao tr\xea\xde, xin hoa\xcc"
      "n ti\xea\xcc"
      "n.\r\n");
  auto m = parse_inbound(raw);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->body, "Tôi muốn khiếu nại: đơn hàng bị giao trễ, xin hoàn tiền.");
  EXPECT_EQ(m->body.find("\xcc\x81"), std::string::npos) << "no combining acute left";
  EXPECT_EQ(guess_language(*m), "vi");
}

TEST(Inbound, Big5Latin1AndWindows1252) {
  EXPECT_EQ(to_utf8("\xb0\x68\xb4\xda", "big5"), "退款");
  // ISO-8859-1 labels are read as Windows-1252, as browsers do: the quotes survive.
  EXPECT_EQ(to_utf8("R\xe9"
                    "clamation \x96 caf\xe9 \x93"
                    "chaud\x94",
                    "ISO-8859-1"),
            "Réclamation – café “chaud”");
  EXPECT_EQ(to_utf8("caf\xe9", ""), "café");               // no charset, not UTF-8: Windows-1252
  EXPECT_EQ(to_utf8("caf\xc3\xa9", ""), "café");           // no charset, valid UTF-8
  EXPECT_EQ(to_utf8("caf\xe9", "x-unknown-cs"), "café");   // unknown label
  EXPECT_EQ(to_utf8("GBK \x81\x40", "gb2312"), "GBK 丂");  // GBK beyond GB2312
  EXPECT_EQ(to_utf8("e\xcc\x81", "utf-8"), "é");           // NFC
}

TEST(Inbound, MultipartPrefersPlainAndKeepsAttachments) {
  const std::string raw = mail(
      "Subject: Broken kettle RD-7K3M9QXA\r\nIn-Reply-To: <outbox-5.1790000000000@example.org>\r\n"
      "References: <x@y> <outbox-5.1790000000000@example.org>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n",
      "--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
      "--b2\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
      "quoted-printable\r\n\r\nThe kettle leaks =E2=80=94 see photo.\r\n"
      "--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The kettle <b>leaks</b></p>\r\n"
      "--b2--\r\n"
      "--b1\r\nContent-Type: image/png\r\nContent-Disposition: attachment; "
      "filename*=utf-8''%E7%85%A7%E7%89%87.png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "iVBORw0KGgo=\r\n--b1\r\nContent-Type: message/rfc822\r\n\r\nFrom: a@b\r\n\r\nx\r\n"
      "--b1--\r\n");
  auto m = parse_inbound(raw);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->body, "The kettle leaks — see photo.");
  EXPECT_FALSE(m->body_from_html);
  ASSERT_EQ(m->attachments.size(), 1u);
  EXPECT_EQ(m->attachments[0].filename, "照片.png");
  EXPECT_EQ(m->attachments[0].data, std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(m->skipped.size(), 1u);
  EXPECT_EQ(m->in_reply_to, std::vector<std::string>{"<outbox-5.1790000000000@example.org>"});
  EXPECT_EQ(m->references,
            (std::vector<std::string>{"<x@y>", "<outbox-5.1790000000000@example.org>"}));
  EXPECT_EQ(tracking_codes_in(m->subject), std::vector<std::string>{"RD-7K3M9QXA"});
}

TEST(Inbound, HtmlOnlyFallsBackToText) {
  const std::string raw =
      mail("Subject: html\r\nContent-Type: text/html; charset=iso-8859-1\r\n",
           "<html><head><style>p{color:red}</style><title>T</title></head><body>"
           "<p>Bonjour,</p><p>caf\xe9 &amp; th&eacute; &lt;3 &#8364;&#x20AC;<br>ligne 2</p>"
           "<script>alert(1)</script><!-- note --></body></html>");
  auto m = parse_inbound(raw);
  ASSERT_TRUE(m.has_value());
  EXPECT_TRUE(m->body_from_html);
  EXPECT_EQ(m->body, "Bonjour,\n\ncafé & th&eacute; <3 €€\nligne 2");
}

TEST(Inbound, AutomaticMailIsRecognised) {
  auto a = parse_inbound(mail("Subject: Out of office\r\nAuto-Submitted: auto-replied\r\n", "x"));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->automatic, "Auto-Submitted: auto-replied");
  auto no = parse_inbound(mail("Subject: s\r\nAuto-Submitted: no\r\n", "x"));
  EXPECT_TRUE(no->automatic.empty());
  auto bounce = parse_inbound(
      "From: MAILER-DAEMON@mx.example.org\r\nSubject: Undelivered\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=z\r\n\r\n"
      "--z\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--z--\r\n");
  ASSERT_TRUE(bounce.has_value());
  EXPECT_EQ(bounce->automatic, "a delivery or disposition report");
  auto bulk = parse_inbound(mail("Subject: news\r\nPrecedence: bulk\r\n", "x"));
  EXPECT_EQ(bulk->automatic, "Precedence: bulk");
}

TEST(Inbound, RefusesWhatIsNotAMessageFromSomeone) {
  EXPECT_FALSE(parse_inbound("").has_value());
  EXPECT_FALSE(parse_inbound("Subject: no sender\r\n\r\nbody").has_value());
  EXPECT_FALSE(parse_inbound("From: nobody\r\n\r\nbody").has_value());
}

TEST(Inbound, TrackingCodesNeedTheWholeToken) {
  EXPECT_EQ(tracking_codes_in("Re: [RD-ABCDEFGH] and RD-ABCDEFGH again, RD-12345678."),
            (std::vector<std::string>{"RD-ABCDEFGH", "RD-12345678"}));
  EXPECT_TRUE(tracking_codes_in("XRD-ABCDEFGH RD-ABCDEFGHJ RD-ABCDEFGI RD-abc").empty());
}

TEST(Inbound, LanguageFromHeaderCharsetOrScript) {
  InboundMail m;
  m.content_language = "fr-FR";
  EXPECT_EQ(guess_language(m), "fr");
  m.content_language = "zh-TW";
  EXPECT_EQ(guess_language(m), "zh-Hant");
  m.content_language.clear();
  m.body_charset = "big5";
  EXPECT_EQ(guess_language(m), "zh-Hant");
  m.body_charset = "utf-8";
  m.body = "Xin chào, đơn hàng của tôi";
  EXPECT_EQ(guess_language(m), "vi");
  m.body = "Hello";
  EXPECT_EQ(guess_language(m), "en");
}

TEST(Imap, UrlsAreParsedAndShownWithoutCredentials) {
  auto u = parse_imap_url("imap://cs%40example.org:p%3Aw@127.0.0.1:1143/Complaints");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->user, "cs@example.org");
  EXPECT_EQ(u->password, "p:w");
  EXPECT_EQ(u->port, 1143);
  EXPECT_EQ(u->mailbox, "Complaints");
  EXPECT_EQ(u->display, "imap://127.0.0.1:1143/Complaints");
  auto s = parse_imap_url("imaps://u:p@mail.example.org");
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->tls);
  EXPECT_EQ(s->port, 993);
  EXPECT_EQ(s->mailbox, "INBOX");
  EXPECT_FALSE(parse_imap_url("pop3://u:p@h/").has_value());
  EXPECT_FALSE(parse_imap_url("imap://u:p@h:99999/").has_value());
  EXPECT_FALSE(parse_imap_url("imap://h/INBOX").has_value());
}

}  // namespace
}  // namespace redress::mail
