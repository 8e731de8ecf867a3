// Response headers and client identification the security defences share.
#pragma once

#include <string>

#include "http/message.h"

namespace redress::http {

// The headers every response carries unless it sets them itself
// (ServerOptions::default_headers): a Content-Security-Policy without
// 'unsafe-inline' that also forbids framing (frame-ancestors 'none'),
// X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer,
// X-Frame-Options: DENY for old browsers, Cross-Origin-Opener-Policy, and
// Cache-Control: no-store (answers carry personal data; the static files set
// their own caching). `https` adds Strict-Transport-Security.
Fields security_headers(bool https);

// The address a rate limit counts: the peer's, or — when the server sits
// behind a reverse proxy the operator trusts (`trust_forwarded_for`) — the
// last address in X-Forwarded-For (the one the proxy itself appended; earlier
// ones are the client's word). Falls back to the peer address when the header
// is absent or empty.
std::string client_address(const Request& request, bool trust_forwarded_for);

}  // namespace redress::http
