// Builds RFC 5322 messages with GMime 3: UTF-8 text/plain bodies, RFC 2047
// encoded headers, a Message-ID, CRLF line endings ready for SMTP.
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

// The whole message (headers and body) as sent over SMTP. Thread-safe
// (GMime is initialised once).
Result<std::string> build_message(const Envelope& envelope, const std::string& subject,
                                  const std::string& body);

}  // namespace redress::mail
