#include "http/router.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace redress::http {
namespace {

// Splits "/a/b/" into {"a", "b", ""}; "/" into {}. `path` starts with '/'.
std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  if (path.empty()) return out;
  for (;;) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// Decoded segments of a raw path, or nullopt if it is not a path or a segment is malformed.
std::optional<std::vector<std::string>> decode_segments(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::vector<std::string> out;
  for (std::string_view raw : split(path)) {
    auto decoded = percent_decode(raw, PlusIs::literal, "path");
    if (!decoded) return std::nullopt;
    out.push_back(std::move(*decoded));
  }
  return out;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  if (method.empty()) throw std::invalid_argument("route method is empty");
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  std::vector<Segment> compiled;
  for (std::string_view part : split(pattern)) {
    if (part.empty()) throw std::invalid_argument("route pattern has an empty segment: " + pattern);
    Segment segment;
    if (part.front() == ':') {
      segment.param = true;
      segment.text = std::string(part.substr(1));
      if (segment.text.empty()) {
        throw std::invalid_argument("route parameter without a name: " + pattern);
      }
      for (const Segment& other : compiled) {
        if (other.param && other.text == segment.text) {
          throw std::invalid_argument("route parameter repeated: " + pattern);
        }
      }
    } else {
      segment.text = std::string(part);
    }
    compiled.push_back(std::move(segment));
  }
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& other = compiled_[i];
    const bool same_shape =
        routes_[i].method == method && other.size() == compiled.size() &&
        std::equal(other.begin(), other.end(), compiled.begin(), [](auto& a, auto& b) {
          return a.param == b.param && (a.param || a.text == b.text);
        });
    if (same_shape) {
      throw std::invalid_argument("route registered twice: " + method + " " + pattern);
    }
  }
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler), options});
  compiled_.push_back(std::move(compiled));
}

void Router::set_fallback(std::string method, Handler handler, RouteOptions options) {
  if (method.empty()) throw std::invalid_argument("fallback method is empty");
  for (Route& fallback : fallbacks_) {
    if (fallback.method == method) {
      fallback.handler = std::move(handler);
      fallback.options = options;
      return;
    }
  }
  fallbacks_.push_back(Route{std::move(method), "*", std::move(handler), options});
}

bool Router::matches(const std::vector<Segment>& pattern,
                     const std::vector<std::string>& segments) {
  if (pattern.size() != segments.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i].param ? segments[i].empty() : pattern[i].text != segments[i]) return false;
  }
  return true;
}

std::variant<Router::Match, Router::Miss> Router::match(std::string_view method,
                                                        std::string_view path) const {
  const auto segments = decode_segments(path);
  if (!segments) return Miss::not_found;

  const std::vector<Segment>* best = nullptr;
  std::size_t best_index = 0;
  bool path_matched = false;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& pattern = compiled_[i];
    if (!matches(pattern, *segments)) continue;
    path_matched = true;
    if (routes_[i].method != method) continue;
    // More specific = a literal at the first position where the two patterns differ in kind.
    bool more_specific = best == nullptr;
    for (std::size_t k = 0; !more_specific && k < pattern.size(); ++k) {
      if (pattern[k].param != (*best)[k].param) {
        more_specific = !pattern[k].param;
        break;
      }
    }
    if (more_specific) {
      best = &pattern;
      best_index = i;
    }
  }
  if (best == nullptr) {
    if (path_matched) return Miss::method_not_allowed;
    for (const Route& fallback : fallbacks_) {
      if (fallback.method == method) return Match{&fallback, {}};
    }
    return Miss::not_found;
  }

  Match result{&routes_[best_index], {}};
  for (std::size_t k = 0; k < best->size(); ++k) {
    if ((*best)[k].param) result.params.emplace_back((*best)[k].text, (*segments)[k]);
  }
  return result;
}

std::vector<std::string> Router::allowed_methods(std::string_view path) const {
  std::vector<std::string> methods;
  const auto segments = decode_segments(path);
  if (!segments) return methods;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (matches(compiled_[i], *segments)) methods.push_back(routes_[i].method);
  }
  std::sort(methods.begin(), methods.end());
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  return methods;
}

}  // namespace redress::http
