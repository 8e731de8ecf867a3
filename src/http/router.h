// Maps (method, path) to a handler. Patterns are literal segments and ":name" segments;
// see Router::match for the rules.
#pragma once

// clang-format off
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp needs std::exchange (g++ 12)
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http/message.h"

namespace redress::http {

// Handles one request on the connection's io thread. It must not block: slow work goes to
// another thread and is awaited (see await.h). The Request lives until the returned awaitable
// completes. An escaping exception becomes a 500 through the server's ErrorResponder and the
// connection stays usable. Called concurrently from several io threads, so any state it
// captures must be thread-safe.
using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

// Per-route limits, checked by the server before the handler runs.
struct RouteOptions {
  std::size_t max_body_bytes = 1 << 20;  // larger bodies are answered with 413
};

// One registered route, as Router::routes() reports it (e.g. to the OpenAPI test).
struct Route {
  std::string method;   // exact, case-sensitive ("GET")
  std::string pattern;  // e.g. "/api/v1/complaints/:id/transitions"
  Handler handler;
  RouteOptions options;
};

// The route table. Filled once at start-up with add(), then only read: match(),
// allowed_methods() and routes() are safe to call concurrently from any number of threads,
// add() is not safe to call concurrently with anything (and invalidates Match::route).
//
// Matching rules:
// - The path is the raw request path (percent-encoded, no query string). It is split on '/'
//   BEFORE decoding, so "%2F" never creates a segment; each segment is then percent-decoded
//   and compared with literal segments, or bound to a ":name" segment.
// - The segment count must match exactly. Empty segments are significant and ":name" never
//   binds an empty segment, so a trailing slash does not match: "/complaints/" matches
//   neither "/complaints" nor "/complaints/:id" (404). "/" is the pattern for the root.
// - Among the patterns that match the path AND have a route for the method, the most
//   specific wins: at the first position where two patterns differ, a literal beats a
//   ":name" ("/complaints/export" beats "/complaints/:id"). So GET /complaints/export goes to
//   GET /complaints/:id when only POST /complaints/export exists.
// - If some pattern matches the path but none for this method: method_not_allowed, and
//   allowed_methods() lists the methods of all matching patterns. Otherwise not_found.
// - HEAD and OPTIONS are not implied; register them to allow them.
// - A fallback (set_fallback) answers a method on a path that NO pattern matches (what would
//   otherwise be not_found); it never hides a 405. Used to serve the web app's files.
class Router {
 public:
  // Registers a route. Throws std::invalid_argument (a start-up bug) if the pattern does not
  // start with '/', has an empty segment or ":" without a name, repeats a parameter name, or
  // if the same method is already registered for the same pattern shape (":id" and ":key"
  // at the same position count as the same shape).
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  // Sets the handler for `method` on paths no registered pattern matches (replacing an earlier
  // fallback for the same method). The Match it produces has no params and a Route whose
  // pattern is "*". Not listed by routes(). Same thread-safety as add().
  void set_fallback(std::string method, Handler handler, RouteOptions options = {});

  struct Match {
    const Route* route;  // points into routes(); valid until the next add()
    std::vector<std::pair<std::string, std::string>> params;  // {name, decoded value}
  };
  enum class Miss { not_found, method_not_allowed };

  // Finds the route for `method` and the raw `path` by the rules above. A segment that cannot
  // be percent-decoded (the server rejects such paths before matching) counts as no match.
  std::variant<Match, Miss> match(std::string_view method, std::string_view path) const;

  // Methods registered for patterns matching the raw `path`, sorted and without duplicates;
  // empty when nothing matches. For the Allow header of a 405.
  std::vector<std::string> allowed_methods(std::string_view path) const;

  // All routes in registration order.
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name without ':'
    bool param = false;
  };
  // True when every segment of `pattern` matches the decoded `segments`.
  static bool matches(const std::vector<Segment>& pattern,
                      const std::vector<std::string>& segments);

  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> compiled_;  // compiled_[i] belongs to routes_[i]
  std::vector<Route> fallbacks_;                // at most one per method
};

}  // namespace redress::http
