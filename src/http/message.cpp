#include "http/message.h"

#include <algorithm>
#include <cstdint>

namespace redress::http {
namespace {

std::optional<std::string_view> find_exact(const Fields& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string_view> find_folded(const Fields& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, <= U+10FFFF.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07u;
    } else {
      return false;
    }
    if (s.size() - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const {
  return find_folded(headers, name);
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  return find_exact(query, name);
}

std::optional<std::string_view> Request::path_param(std::string_view name) const {
  return find_exact(path_params, name);
}

Response Response::json(int status, std::string body) {
  return text(status, std::move(body), "application/json");
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.emplace_back("Content-Type", std::move(content_type));
  return response;
}

Response Response::stream(int status, std::string content_type, BodyProducer producer) {
  Response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", std::move(content_type));
  response.producer = std::move(producer);
  return response;
}

Response& Response::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  return find_folded(headers, name);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

Result<std::string> percent_decode(std::string_view text, PlusIs plus, std::string_view field) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus == PlusIs::space) {
      out.push_back(' ');
    } else if (c == '%') {
      if (text.size() - i < 3 || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0) {
        return fail(Error::invalid(std::string(field), "malformed percent-escape"));
      }
      const char decoded = static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      if (decoded == '\0') {
        return fail(Error::invalid(std::string(field), "must not contain a NUL byte (%00)"));
      }
      out.push_back(decoded);
      i += 2;
    } else if (c == '\0') {
      // A raw NUL is refused like %00: PostgreSQL text cannot hold one (found by fuzz/query.cpp;
      // Beast refuses it in a request target, but the function must not rely on its caller).
      return fail(Error::invalid(std::string(field), "must not contain a NUL byte"));
    } else {
      out.push_back(c);
    }
  }
  if (!valid_utf8(out)) return fail(Error::invalid(std::string(field), "is not valid UTF-8"));
  return out;
}

Result<Fields> parse_query(std::string_view query) {
  Fields out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;

    const std::size_t eq = piece.find('=');
    const std::string_view raw_name = piece.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    REDRESS_TRY(std::string name, percent_decode(raw_name, PlusIs::space, "query"));
    REDRESS_TRY(std::string value, percent_decode(raw_value, PlusIs::space, name));
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

}  // namespace redress::http
