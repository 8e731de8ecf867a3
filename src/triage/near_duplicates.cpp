#include "triage/near_duplicates.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "text/tokenize.h"

namespace redress::triage {

namespace {

constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

std::uint64_t fnv(std::uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

// splitmix64's finaliser: a bijective mix, so h ^ seed_i gives one
// independent-looking permutation of the shingle hashes per i.
constexpr std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::array<std::uint64_t, kMinHashes> make_seeds() {
  std::array<std::uint64_t, kMinHashes> seeds{};
  for (std::size_t i = 0; i < kMinHashes; ++i) seeds[i] = mix(0x5245445245535344ULL + i);
  return seeds;
}
constexpr std::array<std::uint64_t, kMinHashes> kSeeds = make_seeds();

}  // namespace

Signature minhash(std::string_view text) {
  const std::vector<std::string> terms =
      text::tokenize(text, text::TokenizeOptions{.accents = text::Accents::fold});
  Signature s;
  if (terms.empty()) return s;
  std::vector<std::uint64_t> shingles;
  if (terms.size() == 1) {
    shingles.push_back(fnv(kFnvOffset, terms[0]));
  } else {
    shingles.reserve(terms.size() - 1);
    for (std::size_t i = 0; i + 1 < terms.size(); ++i) {
      // The unit separator keeps ("ab","c") apart from ("a","bc").
      shingles.push_back(fnv(fnv(fnv(kFnvOffset, terms[i]), "\x1f"), terms[i + 1]));
    }
  }
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  s.empty = false;
  for (std::size_t i = 0; i < kMinHashes; ++i) {
    std::uint64_t best = std::numeric_limits<std::uint64_t>::max();
    for (std::uint64_t h : shingles) best = std::min(best, mix(h ^ kSeeds[i]));
    s.mins[i] = static_cast<std::uint32_t>(best >> 32);
  }
  return s;
}

double similarity(const Signature& a, const Signature& b) {
  if (a.empty || b.empty) return 0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < kMinHashes; ++i) equal += a.mins[i] == b.mins[i] ? 1 : 0;
  return static_cast<double>(equal) / static_cast<double>(kMinHashes);
}

std::array<std::int64_t, kBands> band_keys(const Signature& s) {
  std::array<std::int64_t, kBands> keys{};
  for (std::size_t band = 0; band < kBands; ++band) {
    std::uint64_t h = mix(0xB0ADULL + band);
    for (std::size_t row = 0; row < kRowsPerBand; ++row) {
      h = mix(h ^ s.mins[band * kRowsPerBand + row]);
    }
    keys[band] = static_cast<std::int64_t>(h);
  }
  return keys;
}

std::string to_hex(const Signature& s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (s.empty) return {};
  std::string out;
  out.reserve(kMinHashes * 8);
  for (std::uint32_t v : s.mins) {
    for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kDigits[(v >> shift) & 0xF]);
  }
  return out;
}

std::optional<Signature> signature_from_hex(std::string_view hex) {
  Signature s;
  if (hex.empty()) return s;
  if (hex.size() != kMinHashes * 8) return std::nullopt;
  for (std::size_t i = 0; i < kMinHashes; ++i) {
    std::uint32_t v = 0;
    for (std::size_t j = 0; j < 8; ++j) {
      const char c = hex[i * 8 + j];
      std::uint32_t d = 0;
      if (c >= '0' && c <= '9') {
        d = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<std::uint32_t>(c - 'a' + 10);
      } else {
        return std::nullopt;
      }
      v = (v << 4) | d;
    }
    s.mins[i] = v;
  }
  s.empty = false;
  return s;
}

}  // namespace redress::triage
