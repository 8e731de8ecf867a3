// Fuzzes the multipart/form-data parser (src/http/multipart.cpp). Input: the Content-Type
// header up to the first '\n', then the body. Every part's data must lie inside the body,
// and a refusal names the Content-Type header or the body.
#include "http/multipart.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/problem.h"

using namespace redress;
using namespace redress::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string_view content_type =
      newline == std::string_view::npos ? input : input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
  auto parts = parse_multipart(content_type, body);
  if (!parts) {
    const auto& fields = parts.error().fields;
    if (fields.empty() || (fields[0].field != "Content-Type" && fields[0].field != "body")) {
      __builtin_trap();
    }
    (void)problem(parts.error());
    return 0;
  }
  for (const Part& p : *parts) {
    if (p.data.data() < body.data() || p.data.data() + p.data.size() > body.data() + body.size()) {
      __builtin_trap();
    }
  }
  return 0;
}
