// Serves the built web app (web/dist) from `redress serve`: the files under one root
// directory, and index.html for the app's own routes (a single-page app). Registered as the
// router's GET fallback, so it only sees paths no API route matches.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/router.h"
#include "http/server.h"

namespace redress::http {

// The Content-Security-Policy sent with every HTML answer: scripts, styles and connections
// only from the app's own origin — no inline script or style. Images may also be data: or
// blob: URLs (attachment previews).
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

// The Content-Type for a file name, from its extension (case-insensitive);
// "application/octet-stream" for anything unknown.
std::string content_type_for(std::string_view filename);

// Maps the decoded URL path `path` ("/assets/app-1a2b.js") to a file under `root`, or nullopt
// when the path could name something outside it or hidden: a "." or ".." segment, a segment
// starting with '.', a backslash or NUL, or a symbolic link leading out of the root. Does not
// check that the file exists. `root` must be canonical (std::filesystem::canonical).
std::optional<std::filesystem::path> resolve_under(const std::filesystem::path& root,
                                                   std::string_view path);

class StaticFiles {
 public:
  // `root` must be an existing directory with an index.html. `not_found` builds the 404
  // answers (the API's problem+json), so paths under /api/ still answer like the API.
  StaticFiles(const std::filesystem::path& root, ErrorResponder not_found);

  // The answer to a GET of `request.path`:
  // - /api/…, /healthz, /readyz (no API route matched): 404 from `not_found`;
  // - an existing file under the root: its bytes, its Content-Type, and Cache-Control
  //   "public, max-age=31536000, immutable" under /assets/ (Vite's hashed names) or
  //   "no-cache" elsewhere;
  // - a missing path whose last segment has an extension, or anything under /assets/: 404;
  // - any other path (an app route such as /complaints/42): index.html, "no-cache".
  // HTML answers carry kContentSecurityPolicy; all carry X-Content-Type-Options: nosniff and
  // Referrer-Policy: no-referrer. Reads the file synchronously: the app's files are small.
  Response serve(const Request& request) const;

  // Registers serve() as the router's GET fallback; `this` must outlive the router's use.
  void register_fallback(Router& router) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  Response file_response(const std::filesystem::path& file, std::string_view cache_control) const;
  std::filesystem::path root_;
  ErrorResponder not_found_;
};

}  // namespace redress::http
