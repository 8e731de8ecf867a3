#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <boost/asio/awaitable.hpp>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace redress::http {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

bool starts_with_segment(std::string_view path, std::string_view prefix) {
  return path == prefix ||
         (path.starts_with(prefix) && path.size() > prefix.size() && path[prefix.size()] == '/');
}

// True when `inner` is `outer` or lies below it (both canonical).
bool is_within(const std::filesystem::path& outer, const std::filesystem::path& inner) {
  auto o = outer.begin();
  auto i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (i == inner.end() || *o != *i) return false;
  }
  return true;
}

std::optional<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(out).str();
}

}  // namespace

std::string content_type_for(std::string_view filename) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  }};
  const auto dot = filename.rfind('.');
  const auto slash = filename.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  const std::string ext = lower(filename.substr(dot));
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return std::string(type);
  }
  return "application/octet-stream";
}

std::optional<std::filesystem::path> resolve_under(const std::filesystem::path& root,
                                                   std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  std::filesystem::path out = root;
  std::string_view rest = path.substr(1);
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (segment.empty()) continue;                    // "//" collapses
    if (segment.front() == '.') return std::nullopt;  // ".", "..", dot files
    out /= std::string(segment);
  }
  // A symbolic link inside the root may still point outside it.
  std::error_code ec;
  const auto real = std::filesystem::weakly_canonical(out, ec);
  if (ec || !is_within(root, real)) return std::nullopt;
  return real;
}

StaticFiles::StaticFiles(const std::filesystem::path& root, ErrorResponder not_found)
    : root_(std::filesystem::canonical(root)), not_found_(std::move(not_found)) {
  if (!std::filesystem::is_regular_file(root_ / "index.html")) {
    throw std::invalid_argument("no index.html in the web root " + root_.string());
  }
}

Response StaticFiles::file_response(const std::filesystem::path& file,
                                    std::string_view cache_control) const {
  auto bytes = read_file(file);
  if (!bytes) return not_found_(404, "cannot read " + file.filename().string(), nullptr);
  const std::string type = content_type_for(file.filename().string());
  Response response = Response::text(200, std::move(*bytes), type);
  response.with_header("Cache-Control", std::string(cache_control))
      .with_header("X-Content-Type-Options", "nosniff")
      .with_header("Referrer-Policy", "no-referrer");
  if (type.starts_with("text/html")) {
    response.with_header("Content-Security-Policy", std::string(kContentSecurityPolicy))
        .with_header("X-Frame-Options", "DENY");
  }
  return response;
}

Response StaticFiles::serve(const Request& request) const {
  const std::string_view path = request.path;
  if (starts_with_segment(path, "/api") || path == "/healthz" || path == "/readyz") {
    return not_found_(404, "nothing is served at " + request.path, &request);
  }
  const bool asset = starts_with_segment(path, "/assets");
  const auto file = resolve_under(root_, path);
  if (!file) return not_found_(404, "nothing is served at " + request.path, &request);
  std::error_code ec;
  if (std::filesystem::is_regular_file(*file, ec)) {
    return file_response(*file, asset ? "public, max-age=31536000, immutable" : "no-cache");
  }
  const auto last_slash = path.rfind('/');
  const bool has_extension = path.find('.', last_slash) != std::string_view::npos;
  if (asset || has_extension) {
    return not_found_(404, "nothing is served at " + request.path, &request);
  }
  return file_response(root_ / "index.html", "no-cache");
}

void StaticFiles::register_fallback(Router& router) const {
  router.set_fallback("GET", [this](Request& request) -> boost::asio::awaitable<Response> {
    co_return serve(request);
  });
}

}  // namespace redress::http
