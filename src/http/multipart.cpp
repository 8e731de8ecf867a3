#include "http/multipart.h"

#include <utility>

#include "http/message.h"

namespace redress::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "type; a=1; b=\"x;y\"" split into the type and its parameters (names lower-cased).
struct HeaderValue {
  std::string_view type;
  std::vector<std::pair<std::string, std::string>> params;

  const std::string* param(std::string_view name) const {
    for (const auto& [key, value] : params) {
      if (key == name) return &value;
    }
    return nullptr;
  }
};

// nullopt on an unterminated quoted string. In quoted strings only \" and \\ are escapes;
// any other backslash is kept, so Windows paths survive.
std::optional<HeaderValue> parse_header_value(std::string_view v) {
  HeaderValue out;
  const std::size_t semi = v.find(';');
  out.type = trim(v.substr(0, semi));
  std::size_t i = semi == std::string_view::npos ? v.size() : semi;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ';' || v[i] == ' ' || v[i] == '\t')) ++i;
    const std::size_t name_start = i;
    while (i < v.size() && v[i] != '=' && v[i] != ';') ++i;
    std::string name = lower(trim(v.substr(name_start, i - name_start)));
    std::string value;
    if (i < v.size() && v[i] == '=') {
      ++i;
      while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
      if (i < v.size() && v[i] == '"') {
        ++i;
        bool closed = false;
        for (; i < v.size(); ++i) {
          if (v[i] == '\\' && i + 1 < v.size() && (v[i + 1] == '"' || v[i + 1] == '\\')) {
            value.push_back(v[++i]);
          } else if (v[i] == '"') {
            closed = true;
            ++i;
            break;
          } else {
            value.push_back(v[i]);
          }
        }
        if (!closed) return std::nullopt;
        while (i < v.size() && v[i] != ';') ++i;  // ignore junk after the closing quote
      } else {
        const std::size_t value_start = i;
        while (i < v.size() && v[i] != ';') ++i;
        value = std::string(trim(v.substr(value_start, i - value_start)));
      }
    }
    if (!name.empty()) out.params.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

// RFC 5987 ext-value: UTF-8'lang'percent-encoded. nullopt for other charsets or bad escapes.
std::optional<std::string> decode_ext_value(std::string_view v) {
  const std::size_t first = v.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = v.find('\'', first + 1);
  if (second == std::string_view::npos || !iequals(v.substr(0, first), "utf-8")) {
    return std::nullopt;
  }
  auto decoded = percent_decode(v.substr(second + 1), PlusIs::literal, "filename");
  if (!decoded) return std::nullopt;
  return std::move(*decoded);
}

Error bad_body(std::string message) {
  return Error::invalid("body", std::move(message));
}

// Fills name, filename and content_type of `part` from its header block.
Status parse_part_headers(std::string_view block, std::size_t index, Part& part) {
  bool has_name = false;
  part.content_type = "text/plain";
  while (!block.empty()) {
    const std::size_t eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return fail(bad_body("part " + std::to_string(index + 1) + " has a malformed header line"));
    }
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Type")) {
      part.content_type = std::string(value);
    } else if (iequals(name, "Content-Disposition")) {
      auto parsed = parse_header_value(value);
      if (!parsed) {
        return fail(
            bad_body("part " + std::to_string(index + 1) + " has a malformed Content-Disposition"));
      }
      if (const std::string* n = parsed->param("name")) {
        part.name = *n;
        has_name = true;
      }
      if (const std::string* f = parsed->param("filename")) {
        part.filename = *f;
      } else if (const std::string* ext = parsed->param("filename*")) {
        part.filename = decode_ext_value(*ext);
      }
    }
  }
  if (!has_name) {
    return fail(
        bad_body("part " + std::to_string(index + 1) + " has no name in its Content-Disposition"));
  }
  return {};
}

}  // namespace

Result<std::vector<Part>> parse_multipart(std::string_view content_type, std::string_view body) {
  const auto header = parse_header_value(content_type);
  if (!header || !iequals(header->type, "multipart/form-data")) {
    return fail(Error::invalid("Content-Type", "must be multipart/form-data"));
  }
  const std::string* boundary = header->param("boundary");
  if (boundary == nullptr || boundary->empty() || boundary->size() > 70) {
    return fail(Error::invalid("Content-Type", "needs a boundary parameter of 1 to 70 characters"));
  }
  const std::string dash_boundary = "--" + *boundary;
  const std::string delimiter = "\r\n" + dash_boundary;

  // The first delimiter starts the body or follows a preamble line.
  std::size_t pos = 0;
  if (!body.starts_with(dash_boundary)) {
    pos = body.find(delimiter);
    if (pos == std::string_view::npos) return fail(bad_body("no multipart delimiter found"));
    pos += 2;
  }
  pos += dash_boundary.size();

  std::vector<Part> parts;
  for (;;) {
    // `pos` is just after a "--boundary".
    std::string_view rest = body.substr(pos);
    if (rest.starts_with("--")) return parts;  // the closing delimiter; the epilogue is ignored
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    if (rest.empty()) return fail(bad_body("the closing multipart delimiter is missing"));
    if (!rest.starts_with("\r\n")) return fail(bad_body("malformed multipart delimiter line"));
    pos = body.size() - rest.size() + 2;

    const std::size_t next = body.find(delimiter, pos);
    if (next == std::string_view::npos) {
      return fail(bad_body("the closing multipart delimiter is missing"));
    }
    std::size_t data_start = 0;
    std::string_view header_block;
    if (next == pos) {  // a delimiter right away: no headers, no data
      data_start = pos;
    } else if (body.substr(pos).starts_with("\r\n")) {  // a part without headers
      data_start = pos + 2;
    } else {
      const std::size_t header_end = body.find("\r\n\r\n", pos);
      if (header_end == std::string_view::npos || header_end > next) {
        return fail(bad_body("part " + std::to_string(parts.size() + 1) +
                             " headers are not followed by an empty line"));
      }
      header_block = body.substr(pos, header_end - pos);
      data_start = header_end + 4;
    }
    Part part;
    REDRESS_CHECK(parse_part_headers(header_block, parts.size(), part));
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    pos = next + delimiter.size();
  }
}

}  // namespace redress::http
