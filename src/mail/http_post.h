// HTTP POST over libcurl, for webhook deliveries (jobs/). Lives beside the
// SMTP adapter: both are outbound adapters around Debian-packaged libcurl.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace redress::mail {

struct HttpPost {
  std::string url;  // http:// or https:// only (other schemes are refused)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
  // Whole exchange, connection included; a receiver should answer at once
  // and work later. Redirects are not followed (a 3xx is a failure).
  std::chrono::seconds timeout{10};
  std::chrono::seconds connect_timeout{5};
};

// Sends the request and returns the HTTP status. unavailable for transport
// failures (refused, timeout, TLS), naming curl's reason. Thread-safe (one
// easy handle per call); blocks for up to `timeout`.
Result<long> post(const HttpPost& request);

}  // namespace redress::mail
