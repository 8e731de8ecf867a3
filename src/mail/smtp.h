// Sends one message over SMTP with libcurl (SMTP, SMTPS, STARTTLS, AUTH).
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"

namespace redress::mail {

struct SmtpConfig {
  std::string url;       // smtp://host:port or smtps://host:port; empty = not configured
  std::string username;  // AUTH when set
  std::string password;  // secret: never logged or returned by the API
  enum class Tls { none, try_starttls, require } tls = Tls::try_starttls;
  bool verify_peer = true;  // certificate checks for STARTTLS/SMTPS
  std::chrono::seconds timeout{30};

  bool configured() const { return !url.empty(); }
};

// Delivers `message` (CRLF lines) from `from` to `to`. unavailable for
// network or server errors (4xx/5xx replies included), with curl's message;
// callers retry. Thread-safe.
Status send(const SmtpConfig& config, const std::string& from, const std::string& to,
            const std::string& message);

}  // namespace redress::mail
