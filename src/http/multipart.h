// multipart/form-data bodies (RFC 7578), as browsers send file uploads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace redress::http {

// One part of a multipart/form-data body.
struct Part {
  std::string name;                     // the form field name from Content-Disposition
  std::optional<std::string> filename;  // present for file inputs (may be empty: no file chosen)
  std::string content_type;             // the part's Content-Type, "text/plain" when absent
  std::string_view data;                // the raw bytes; points into the parsed body
};

// Parses a buffered multipart/form-data body. `content_type` is the request's Content-Type
// header ("multipart/form-data; boundary=…", the boundary quoted or not).
//
// Fails with invalid_argument on the field "Content-Type" when it is not multipart/form-data
// or has no usable boundary (1–70 characters), and on the field "body" when no delimiter is
// found, the closing delimiter is missing, a delimiter line or part header is malformed, or
// a part has no Content-Disposition name. Preamble and epilogue are ignored.
//
// Ownership: every Part::data views `body`, which must outlive the result. Names and file
// names are returned as sent: a quoted value may use \" and \\ escapes (curl); other
// backslashes are literal (old IE sends C:\path\name), percent-escapes (browsers write %22
// for '"') are not decoded. A `filename*=UTF-8''…` parameter (RFC 5987) is decoded and used
// when no plain filename is given. Pure function, thread-safe.
Result<std::vector<Part>> parse_multipart(std::string_view content_type, std::string_view body);

}  // namespace redress::http
