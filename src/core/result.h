// Result<T>: the one error channel of Redress. Expected failures (bad input,
// illegal transitions, missing rows, stale versions) travel as values; the
// HTTP layer maps ErrorCode to a status and an RFC 9457 body in one place and
// the CLI maps it to an exit code. Exceptions are for bugs only.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace redress {

// The small, closed set of failure kinds every layer speaks.
enum class ErrorCode {
  not_found,            // the thing named does not exist (or is out of scope)
  invalid_argument,     // input breaks a rule; `fields` names each field
  failed_precondition,  // legal input, wrong state (e.g. illegal transition)
  conflict,             // duplicate key or a concurrent change
  stale_version,        // the caller's If-Match names an older version
  forbidden,            // authenticated but lacking role or scope
  unauthenticated,      // no or bad credentials
  too_many_requests,    // rate limit hit
  payload_too_large,    // body or upload over its limit
  unsupported_media_type,
  unavailable,  // storage could not commit; safe to retry
  internal,     // a bug or an unexpected storage failure
};

// One violated rule on one input field, e.g. {"remedies", "at least one is required"}.
// `message` is an English sentence fragment for logs, scripts and any client;
// `rule` names the rule by a stable word (problem+json `errors[].rule`) and
// `params` carries the values its wording needs, so a client can say it in
// its reader's language (docs/api-contract.md lists the rules). Errors that
// carry no rule are said by their message alone.
struct FieldError {
  std::string field;
  std::string message;
  std::string rule = {};
  std::vector<std::pair<std::string, std::string>> params = {};
};

// The field is missing or blank (rule "required").
inline FieldError required_field(std::string field) {
  return {std::move(field), "is required", "required", {}};
}
// The text is longer than `max` bytes (rule "too_long", param max).
inline FieldError too_long_field(std::string field, std::size_t max) {
  return {std::move(field),
          "is longer than " + std::to_string(max) + " bytes",
          "too_long",
          {{"max", std::to_string(max)}}};
}
// The number lies outside [min, max] (rule "range", params min and max).
inline FieldError range_field(std::string field, long long min, long long max) {
  return {std::move(field),
          "must be between " + std::to_string(min) + " and " + std::to_string(max),
          "range",
          {{"min", std::to_string(min)}, {"max", std::to_string(max)}}};
}
// The text is not an e-mail address (rule "email").
inline FieldError email_field(std::string field) {
  return {std::move(field), "is not an e-mail address", "email", {}};
}
// The text is not one of the six languages (rule "one_of", param values).
inline FieldError language_field(std::string field) {
  const std::string values = "en, es, fr, zh-Hans, zh-Hant, vi";
  return {std::move(field), "must be one of " + values, "one_of", {{"values", values}}};
}
// The text is shorter than `min` characters (rule "min_length", param min).
inline FieldError min_length_field(std::string field, int min) {
  return {std::move(field),
          "must be at least " + std::to_string(min) + " characters",
          "min_length",
          {{"min", std::to_string(min)}}};
}
// The department or category chosen was retired (rule "retired", param
// kind: "department" or "category").
inline FieldError retired_field(std::string field, const std::string& kind) {
  return {std::move(field), "is retired; choose an active " + kind, "retired", {{"kind", kind}}};
}

// An expected failure: a code, a human sentence, and per-field details for
// invalid_argument (and for failed_precondition when data is missing).
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::vector<FieldError> fields;

  static Error invalid(std::string field, std::string message) {
    std::string summary = field + ": " + message;
    return Error{ErrorCode::invalid_argument,
                 std::move(summary),
                 {FieldError{std::move(field), std::move(message)}}};
  }
  static Error invalid(FieldError field) {
    std::string summary = field.field + ": " + field.message;
    return Error{ErrorCode::invalid_argument, std::move(summary), {std::move(field)}};
  }
  static Error invalid(std::vector<FieldError> fields) {
    std::string summary = "the request has " + std::to_string(fields.size()) + " invalid field" +
                          (fields.size() == 1 ? "" : "s");
    return Error{ErrorCode::invalid_argument, std::move(summary), std::move(fields)};
  }
  static Error not_found(std::string what) {
    return Error{ErrorCode::not_found, std::move(what) + " not found", {}};
  }
  static Error precondition(std::string why) {
    return Error{ErrorCode::failed_precondition, std::move(why), {}};
  }
  static Error conflict(std::string why) { return Error{ErrorCode::conflict, std::move(why), {}}; }
  static Error forbidden(std::string why) {
    return Error{ErrorCode::forbidden, std::move(why), {}};
  }
  static Error unauthenticated(std::string why) {
    return Error{ErrorCode::unauthenticated, std::move(why), {}};
  }
  static Error internal(std::string why) { return Error{ErrorCode::internal, std::move(why), {}}; }
  static Error unavailable(std::string why) {
    return Error{ErrorCode::unavailable, std::move(why), {}};
  }
};

template <class T>
using Result = std::expected<T, Error>;

// Result of an operation that yields nothing on success.
using Status = std::expected<void, Error>;

// Shorthand for returning an error from a function returning Result<T>.
inline std::unexpected<Error> fail(Error e) {
  return std::unexpected<Error>(std::move(e));
}

}  // namespace redress

// Propagates the error of a Result-returning expression, else binds its value.
// Used as: REDRESS_TRY(auto user, users.find(id));
#define REDRESS_CONCAT_INNER(a, b) a##b
#define REDRESS_CONCAT(a, b) REDRESS_CONCAT_INNER(a, b)
#define REDRESS_TRY_IMPL(tmp, decl, expr)                                       \
  auto tmp = (expr);                                                            \
  if (!tmp) return ::std::unexpected<::redress::Error>(std::move(tmp).error()); \
  decl = std::move(*tmp)
#define REDRESS_TRY(decl, expr) REDRESS_TRY_IMPL(REDRESS_CONCAT(try_tmp_, __LINE__), decl, expr)
// Propagates the error of a Status-returning expression.
#define REDRESS_CHECK(expr)                                                                     \
  do {                                                                                          \
    auto check_tmp_ = (expr);                                                                   \
    if (!check_tmp_) return ::std::unexpected<::redress::Error>(std::move(check_tmp_).error()); \
  } while (0)
