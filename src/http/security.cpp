#include "http/security.h"

#include "http/static_files.h"

namespace redress::http {

Fields security_headers(bool https) {
  Fields out{{"Content-Security-Policy", std::string(kContentSecurityPolicy)},
             {"X-Content-Type-Options", "nosniff"},
             {"Referrer-Policy", "no-referrer"},
             {"X-Frame-Options", "DENY"},
             {"Cross-Origin-Opener-Policy", "same-origin"},
             {"Cache-Control", "no-store"}};
  if (https) out.emplace_back("Strict-Transport-Security", "max-age=31536000");
  return out;
}

std::string client_address(const Request& request, bool trust_forwarded_for) {
  if (trust_forwarded_for) {
    if (auto forwarded = request.header("X-Forwarded-For")) {
      std::string_view v = *forwarded;
      const auto comma = v.rfind(',');
      if (comma != std::string_view::npos) v.remove_prefix(comma + 1);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      if (!v.empty() && v.size() <= 64) return std::string(v);
    }
  }
  return request.remote_address;
}

}  // namespace redress::http
