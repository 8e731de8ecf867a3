// HTTP request and response values as handlers see them, plus the URL
// decoding helpers the server and router share. Plain data: no Boost, no I/O.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace redress::http {

// Ordered name/value pairs; used for headers, query parameters and path parameters.
using Fields = std::vector<std::pair<std::string, std::string>>;

// One parsed request, owned by the connection for the duration of one handler call.
// Handlers may modify it (e.g. middleware adding context) but must not keep references
// to it past the handler's completion. Not synchronised: one coroutine uses it at a time.
struct Request {
  std::string method;    // as sent, case-sensitive: "GET", "POST", …
  std::string path;      // percent-decoded path without the query string; for display and
                         // logging only — "%2F" decodes to "/" here, so route on path_params
  std::string raw_path;  // the path exactly as sent (still percent-encoded); what the router
                         // matched
  Fields query;          // decoded query parameters in the order sent ("+" became a space)
  Fields path_params;    // filled by the router: for pattern ":id", the pair {"id", value},
                         // value percent-decoded per segment
  Fields headers;        // as received, names in the client's spelling
  std::string body;      // the whole body, at most the route's max_body_bytes
  std::string remote_address;  // peer IP address as text ("127.0.0.1", "::1")

  // Value of the first header named `name`, compared case-insensitively; nullopt if absent.
  // The view points into `headers`.
  std::optional<std::string_view> header(std::string_view name) const;
  // Value of the first query parameter named exactly `name`; nullopt if absent.
  std::optional<std::string_view> query_param(std::string_view name) const;
  // Value of the path parameter `name` (without the ':'); nullopt if the route has none.
  std::optional<std::string_view> path_param(std::string_view name) const;
};

// Produces a streamed body one piece at a time: each call returns the next piece (an empty
// piece is skipped), or nullopt once the body is complete. A failure (or an exception) after
// the head has gone out cannot become an error status any more: the server then cuts the
// connection without the terminating chunk, so the client sees a truncated transfer rather
// than a short file it could take for complete. Called on the connection's io thread, one
// call at a time, only after the previous piece has been written — so memory stays at one
// piece however long the body; it must not block for long (a short read transaction is fine).
using BodyProducer = std::function<Result<std::optional<std::string>>()>;

// A response a handler returns by value. The server adds Content-Length (and Connection)
// itself; a Content-Length or Transfer-Encoding header set here is ignored. Header names
// and values must not contain CR, LF or NUL — the server answers 500 instead of sending them.
// With a `producer`, `body` is ignored and the body is streamed: chunked on HTTP/1.1, ended by
// closing the connection on HTTP/1.0.
struct Response {
  int status = 200;
  Fields headers;  // Content-Type among them
  std::string body;
  BodyProducer producer;  // set: a streamed body (see BodyProducer)

  // A response with `body` (already serialised JSON) and Content-Type: application/json.
  static Response json(int status, std::string body);
  // A response with `body` and the given Content-Type.
  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  // A streamed response (see BodyProducer) with the given Content-Type.
  static Response stream(int status, std::string content_type, BodyProducer producer);
  // Appends a header (duplicates allowed, e.g. Set-Cookie); returns *this for chaining.
  Response& with_header(std::string name, std::string value);
  // Value of the first header named `name` (case-insensitive), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
};

// ASCII case-insensitive equality, as header names and tokens compare.
bool iequals(std::string_view a, std::string_view b);

// How percent_decode treats '+': a space in query strings (HTML forms), itself in paths.
enum class PlusIs { literal, space };

// Decodes %XX escapes in `text`. Fails with invalid_argument on the field `field` when an
// escape is malformed ("%G1", a trailing "%"), the text holds or decodes to a NUL byte, or
// the result is not valid UTF-8 — so handlers can put any decoded value into JSON (and
// PostgreSQL text) without checking again.
Result<std::string> percent_decode(std::string_view text, PlusIs plus, std::string_view field);

// Parses a query string (the part after '?', without the '?') into decoded pairs, in order.
// "a=1&b" gives {"a","1"}, {"b",""}; empty pieces ("a=1&&b=2") are skipped; repeated names
// are kept. Fails with invalid_argument naming the parameter (or "query" when the name
// itself cannot be decoded) on a bad escape, as percent_decode does.
Result<Fields> parse_query(std::string_view query);

}  // namespace redress::http
