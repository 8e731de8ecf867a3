// Fuzzes the query-string and cursor parsers: parse_query (percent-decoding, '+'), then every
// reader of a query in requests.h (complaint list filters and cursor, dashboard range, outbox),
// parse_cursor / parse_if_match on the raw input, and percent_decode in both modes. Decoded
// values must be valid UTF-8 without NUL (handlers put them into JSON unchecked): the problem
// answer built from any refusal must serialise.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/problem.h"
#include "http/requests.h"

using namespace redress;
using namespace redress::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)parse_cursor(input);
  if (auto c = parse_cursor(input); c && parse_cursor(list_cursor(*c)).value_or(-1) != *c) {
    __builtin_trap();  // a cursor we accept round-trips
  }
  (void)parse_if_match(input);
  for (PlusIs plus : {PlusIs::literal, PlusIs::space}) {
    if (auto d = percent_decode(input, plus, "q"); d) {
      // valid UTF-8 without NUL: serialising must not throw
      (void)Json(*d).dump();
      if (d->find('\0') != std::string::npos) __builtin_trap();
    }
  }
  auto query = parse_query(input);
  if (!query) {
    (void)problem(query.error());
    return 0;
  }
  Request r;
  r.method = "GET";
  r.query = std::move(*query);
  for (const auto& [name, value] : r.query) (void)Json{{name, value}}.dump();
  if (auto f = read_complaint_filter(r, from_epoch_ms(1700000000000)); !f) {
    (void)problem(f.error());
  } else if (f->limit < 1 || f->limit > 200 || f->before_id < 0) {
    __builtin_trap();
  }
  if (auto t = read_time_range(r); !t) (void)problem(t.error());
  if (auto o = read_outbox_query(r); !o) {
    (void)problem(o.error());
  } else if (o->limit < 1 || o->limit > 500 || o->before < 0) {
    __builtin_trap();
  }
  return 0;
}
