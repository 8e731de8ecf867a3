// Time as Redress uses it: UTC instants with millisecond precision, written as
// ISO 8601 ("2026-11-22T09:30:00.000Z") at the edges and as epoch
// milliseconds in storage. Nothing here reads the system clock: the current
// time comes from a Clock passed in by the composition root.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace redress {

using Millis = std::chrono::milliseconds;
using Instant = std::chrono::sys_time<Millis>;

// Source of the current time. Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

// A clock that returns whatever the test sets; thread-compatible, not safe.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Instant at) : at_(at) {}
  Instant now() const override { return at_; }
  void set(Instant at) { at_ = at; }
  void advance(Millis by) { at_ += by; }

 private:
  Instant at_;
};

// Formats as "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string format_iso8601(Instant at);

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z" or
// "±HH:MM" (a date alone means midnight UTC). Returns nullopt on anything
// else, including impossible dates such as 2026-02-30.
std::optional<Instant> parse_iso8601(std::string_view text);

inline std::int64_t to_epoch_ms(Instant at) {
  return at.time_since_epoch().count();
}
inline Instant from_epoch_ms(std::int64_t ms) {
  return Instant{Millis{ms}};
}

}  // namespace redress
