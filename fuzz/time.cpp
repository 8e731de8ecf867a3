// Fuzzes the time parsers of core: ISO 8601 instants and durations and working periods.
// Properties, not only "no crash": whatever parses must format and parse back to the same
// value (the API answers what it stored in the same notation it accepts).
#include "core/time.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/calendar.h"
#include "core/duration.h"

using namespace redress;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto t = parse_iso8601(text)) {
    auto again = parse_iso8601(format_iso8601(*t));
    if (!again || *again != *t) __builtin_trap();
  }
  if (auto d = parse_iso8601_duration(text)) {
    auto again = parse_iso8601_duration(format_iso8601_duration(*d));
    if (!again || *again != *d) __builtin_trap();
  }
  if (auto p = parse_working_period(text)) {
    auto again = parse_working_period(format_working_period(*p));
    if (!again || format_working_period(*again) != format_working_period(*p)) __builtin_trap();
  }
  return 0;
}
