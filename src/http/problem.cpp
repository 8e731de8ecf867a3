#include "http/problem.h"

#include <nlohmann/json.hpp>

namespace redress::http {

namespace {

std::string_view title_for(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Authentication required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 405:
      return "Method not allowed";
    case 409:
      return "Conflict with the current state";
    case 412:
      return "Precondition failed";
    case 413:
      return "Payload too large";
    case 415:
      return "Unsupported media type";
    case 422:
      return "Invalid data";
    case 429:
      return "Too many requests";
    case 503:
      return "Service unavailable";
    default:
      return "Internal server error";
  }
}

std::string_view type_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_found:
      return "not-found";
    case ErrorCode::invalid_argument:
      return "invalid-data";
    case ErrorCode::failed_precondition:
      return "wrong-state";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::stale_version:
      return "stale-version";
    case ErrorCode::forbidden:
      return "forbidden";
    case ErrorCode::unauthenticated:
      return "unauthenticated";
    case ErrorCode::too_many_requests:
      return "rate-limited";
    case ErrorCode::payload_too_large:
      return "payload-too-large";
    case ErrorCode::unsupported_media_type:
      return "unsupported-media-type";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

Response make(int status, std::string_view type, std::string_view detail,
              const std::vector<FieldError>& fields) {
  nlohmann::json body{{"type", "https://redress.invalid/problems/" + std::string(type)},
                      {"title", title_for(status)},
                      {"status", status},
                      {"detail", detail}};
  if (!fields.empty()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& f : fields) {
      nlohmann::json e{{"field", f.field}, {"message", f.message}};
      if (!f.rule.empty()) {
        e["rule"] = f.rule;
        nlohmann::json params = nlohmann::json::object();
        for (const auto& [k, v] : f.params) params[k] = v;
        e["params"] = params;
      }
      errors.push_back(std::move(e));
    }
    body["errors"] = errors;
  }
  Response r;
  r.status = status;
  r.body = body.dump();
  r.headers.emplace_back("Content-Type", "application/problem+json");
  return r;
}

}  // namespace

int status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::invalid_argument:
      return 422;
    case ErrorCode::failed_precondition:
      return 409;
    case ErrorCode::conflict:
      return 409;
    case ErrorCode::stale_version:
      return 412;
    case ErrorCode::forbidden:
      return 403;
    case ErrorCode::unauthenticated:
      return 401;
    case ErrorCode::too_many_requests:
      return 429;
    case ErrorCode::payload_too_large:
      return 413;
    case ErrorCode::unsupported_media_type:
      return 415;
    case ErrorCode::unavailable:
      return 503;
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

Response problem(const Error& error) {
  const int status = status_for(error.code);
  // Internal details stay in the log, not in the answer.
  const std::string detail = status == 500 ? "an internal error occurred" : error.message;
  return make(status, type_for(error.code), detail, error.fields);
}

Response problem(int status, std::string_view detail) {
  std::string_view type = status == 404   ? "not-found"
                          : status == 405 ? "method-not-allowed"
                          : status == 413 ? "payload-too-large"
                          : status == 400 ? "bad-request"
                                          : "internal";
  return make(status, type, detail, {});
}

}  // namespace redress::http
