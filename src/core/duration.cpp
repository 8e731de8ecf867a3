#include "core/duration.h"

#include <cstdio>

namespace redress {

std::optional<Millis> parse_iso8601_duration(std::string_view text) {
  using namespace std::chrono;
  if (text.size() < 3 || text[0] != 'P') return std::nullopt;
  std::size_t pos = 1;
  bool in_time = false;
  bool any = false;
  int last_rank = -1;  // units must appear in order: W D | H M S
  Millis total{0};
  while (pos < text.size()) {
    if (text[pos] == 'T') {
      if (in_time) return std::nullopt;
      in_time = true;
      ++pos;
      if (pos == text.size()) return std::nullopt;  // "P1DT"
      continue;
    }
    long long whole = 0;
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (whole > 1'000'000'000LL) return std::nullopt;  // absurd, and guards overflow
      whole = whole * 10 + (text[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    long long fraction_ms = 0;
    bool has_fraction = false;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      has_fraction = true;
      ++pos;
      int scale = 100;
      std::size_t fdigits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        fraction_ms += static_cast<long long>(text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
        ++fdigits;
      }
      if (fdigits == 0) return std::nullopt;
    }
    if (pos == text.size()) return std::nullopt;
    const char unit = text[pos++];
    int rank = -1;
    Millis unit_length{0};
    if (!in_time && unit == 'W') {
      rank = 0;
      unit_length = weeks{1};
    } else if (!in_time && unit == 'D') {
      rank = 1;
      unit_length = days{1};
    } else if (in_time && unit == 'H') {
      rank = 2;
      unit_length = hours{1};
    } else if (in_time && unit == 'M') {
      rank = 3;
      unit_length = minutes{1};
    } else if (in_time && unit == 'S') {
      rank = 4;
      unit_length = seconds{1};
    } else {
      return std::nullopt;  // Y, months, or a unit on the wrong side of T
    }
    if (rank <= last_rank) return std::nullopt;
    if (has_fraction && rank != 4) return std::nullopt;  // fractions only on seconds
    last_rank = rank;
    total += whole * unit_length + Millis{fraction_ms};
    any = true;
  }
  if (!any || total > kMaxDuration) return std::nullopt;
  return total;
}

std::string format_iso8601_duration(Millis d) {
  using namespace std::chrono;
  if (d <= Millis{0}) return "PT0S";
  const auto day_count = duration_cast<days>(d);
  d -= day_count;
  const auto h = duration_cast<hours>(d);
  d -= h;
  const auto m = duration_cast<minutes>(d);
  d -= m;
  const auto s = duration_cast<seconds>(d);
  d -= s;
  std::string out = "P";
  if (day_count.count() > 0) out += std::to_string(day_count.count()) + "D";
  if (h.count() > 0 || m.count() > 0 || s.count() > 0 || d.count() > 0) {
    out += "T";
    if (h.count() > 0) out += std::to_string(h.count()) + "H";
    if (m.count() > 0) out += std::to_string(m.count()) + "M";
    if (s.count() > 0 || d.count() > 0) {
      out += std::to_string(s.count());
      if (d.count() > 0) {
        char ms[8];
        std::snprintf(ms, sizeof ms, ".%03d", static_cast<int>(d.count()));
        out += ms;
      }
      out += "S";
    }
  }
  return out;
}

}  // namespace redress
