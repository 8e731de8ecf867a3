// Reads a received e-mail (RFC 5322 / MIME, as fetched over IMAP) into what
// intake needs: sender, subject, threading keys, a UTF-8 text body and the
// attachments. GMime parses the structure and decodes transfer encodings and
// RFC 2047/2231 headers; ICU converts body charsets (GB2312/GBK via GB18030,
// Big5, ISO-8859-1 read as Windows-1252, Windows-1258, …) and NFC-normalises
// the result, so Vietnamese written with combining tone marks (Windows-1258)
// compares equal to the precomposed form. No store, no network.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace redress::mail {

struct InboundAttachment {
  std::string filename;      // decoded, as the sender named it (may be empty)
  std::string content_type;  // as declared; intake sniffs the bytes itself
  std::string data;          // transfer encoding removed
};

struct InboundMail {
  std::string message_id;  // "<id@host>", empty when the mail has none
  std::string from_address;
  std::string from_name;
  std::string subject;                   // UTF-8, NFC
  std::vector<std::string> in_reply_to;  // "<…>" each
  std::vector<std::string> references;   // "<…>" each, oldest first
  std::string body;                      // UTF-8, NFC, CRLF turned into LF
  bool body_from_html = false;           // no text/plain part: converted from text/html
  std::string body_charset;              // the charset the body was declared in ("" if none)
  std::string content_language;          // Content-Language header, if any
  std::vector<InboundAttachment> attachments;
  std::vector<std::string> skipped;  // parts not kept (nested messages), for the record
  // Why this is machine-generated mail that must not open a complaint
  // (Auto-Submitted, a delivery report, a mailer-daemon sender, …); empty for
  // mail written by a person.
  std::string automatic;
};

// Parses `raw`. invalid_argument when it is not a message at all (no
// header block GMime can read) or has no usable From address. Thread-safe.
Result<InboundMail> parse_inbound(std::string_view raw);

// `bytes` in `charset` (a MIME charset name, any case) as NFC UTF-8. No
// charset, or one neither ICU nor the aliases know: UTF-8 when the bytes are
// valid UTF-8, otherwise Windows-1252. Never fails: undecodable bytes become
// U+FFFD, and NUL characters are dropped (no mail text needs them; PostgreSQL
// text cannot hold them).
std::string to_utf8(std::string_view bytes, std::string_view charset);

// Plain text from HTML: tags dropped (script and style with their content),
// block elements and <br> as line breaks, entities decoded, runs of blank
// lines collapsed. Good enough to read a complaint; not a renderer.
std::string html_to_text(std::string_view html);

// Tracking codes ("RD-" and 8 characters of the code alphabet) in `text`, in
// order of appearance, without repeats.
std::vector<std::string> tracking_codes_in(std::string_view text);

// The Redress language (en, es, fr, zh-Hans, zh-Hant, vi) a new customer
// probably writes in: the Content-Language header when it names one, else the
// body's charset (GB2312/GBK: zh-Hans, Big5: zh-Hant, Windows-1258: vi), else
// the script of `text` (Han, Vietnamese letters), else English.
std::string guess_language(const InboundMail& mail);

}  // namespace redress::mail
