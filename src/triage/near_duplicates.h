// Near-duplicate text detection for triage (issue 7 item 3): MinHash
// signatures over shingles of the project's tokenizer output, and LSH band
// keys so a store can find candidates with a handful of index lookups
// instead of comparing against every complaint.
//
// Shingles are pairs of consecutive terms from text::tokenize with accents
// folded, so Chinese (character bigrams), Vietnamese (syllables, with or
// without tone marks) and space-separated languages are handled alike. A
// text of one term is one shingle; a text without terms has an empty
// signature that matches nothing.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redress::triage {

// 60 min-hashes in 20 bands of 3 rows. A pair with Jaccard similarity J
// shares at least one band with probability 1 - (1 - J^3)^20: 0.93 at J = 0.5,
// 0.99 at 0.6, 0.15 at 0.2 (candidates below the threshold are then dropped
// by the estimate). Changing these changes stored signatures: persisted.
inline constexpr std::size_t kMinHashes = 60;
inline constexpr std::size_t kBands = 20;
inline constexpr std::size_t kRowsPerBand = kMinHashes / kBands;

struct Signature {
  std::array<std::uint32_t, kMinHashes> mins{};
  bool empty = true;  // the text had no terms
};

// The MinHash signature of `text`. Pure, deterministic across builds and
// platforms (FNV-1a and splitmix64, no std::hash); thread-safe.
Signature minhash(std::string_view text);

// The estimated Jaccard similarity of the two texts' shingle sets: the
// fraction of equal min-hashes, in [0, 1]; 0 when either is empty.
double similarity(const Signature& a, const Signature& b);

// One key per band (the band index is mixed in, so equal rows in different
// bands do not meet). Two signatures are LSH candidates when any key is
// equal. Empty signatures have no keys (an empty array is never returned;
// callers check `empty`).
std::array<std::int64_t, kBands> band_keys(const Signature& s);

// Fixed-width hex (8 digits per min-hash) for storage, and back; nullopt on
// text this function did not write.
std::string to_hex(const Signature& s);
std::optional<Signature> signature_from_hex(std::string_view hex);

}  // namespace redress::triage
