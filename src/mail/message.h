// Builds RFC 5322 messages with GMime 3: UTF-8 text/plain bodies, RFC 2047
// encoded headers, a Message-ID, CRLF line endings ready for SMTP, and files
// attached as base64 parts of a multipart/mixed message.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace redress::mail {

struct Envelope {
  std::string from;        // e-mail address
  std::string from_name;   // display name, may be empty
  std::string to;          // e-mail address
  std::string message_id;  // without angle brackets, e.g. "outbox-12.abc@host"
  std::vector<std::pair<std::string, std::string>> extra_headers;  // e.g. X-Redress-Tracking-Code
  Instant date;
};

// A file sent with a message (e.g. the management review's PDF).
struct MailAttachment {
  std::string filename;      // UTF-8; non-ASCII names are RFC 2231-encoded
  std::string content_type;  // "application/pdf"
  std::string data;          // the file's bytes
};

// The whole message (headers and body) as sent over SMTP: a text/plain
// message, or multipart/mixed (the text first, then each attachment) when
// `attachments` is not empty. invalid_argument for a missing address or a
// content type that is not "type/subtype". Thread-safe (GMime is
// initialised once).
Result<std::string> build_message(const Envelope& envelope, const std::string& subject,
                                  const std::string& body,
                                  const std::vector<MailAttachment>& attachments = {});

}  // namespace redress::mail
