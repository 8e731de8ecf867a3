// Cryptographic helpers on libsodium: random tokens, SHA-256, Argon2id.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace redress::app {

// Initialises libsodium; call once at start-up before any other function
// here. Throws std::runtime_error if the library cannot start (fatal).
void init_crypto();

// `bytes` random bytes from the CSPRNG, as unpadded base64url.
std::string random_token(std::size_t bytes = 32);

// A random string of `length` characters from Crockford's base32 alphabet
// (no I, L, O, U): easy to read aloud on the phone.
std::string random_code(std::size_t length);

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Lower-case hex HMAC-SHA256 (RFC 2104) of `data` under `key`; any key length.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Argon2id hash (libsodium's encoded string) at interactive cost. Slow
// (~170 ms) by design: never call on an I/O thread.
Result<std::string> hash_password(std::string_view password);

// Constant-time check of `password` against an encoded Argon2id hash. Slow.
bool verify_password(std::string_view password, const std::string& encoded_hash);

// Constant-time string comparison.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace redress::app
