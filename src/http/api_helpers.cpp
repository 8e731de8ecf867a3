#include "http/api_helpers.h"

#include "http/problem.h"

namespace redress::http {

Response json_response(int status, const Json& body) {
  return Response::json(status, body.dump());
}

Response body_problem(const Error& e) {
  if (e.code == ErrorCode::invalid_argument && e.fields.size() == 1 &&
      e.fields[0].field == "body") {
    return problem(400, "the body " + e.fields[0].message);
  }
  return problem(e);
}

std::optional<std::int64_t> number_param(const Request& r, std::string_view name) {
  auto text = r.path_param(name);
  if (!text || text->empty() || text->size() > 18 ||
      text->find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::int64_t value = std::stoll(std::string(*text));
  if (value == 0) return std::nullopt;
  return value;
}

Json openapi_query_parameter(const char* name, const char* type, const char* description) {
  return {{"name", name},
          {"in", "query"},
          {"required", false},
          {"schema", {{"type", type}}},
          {"description", description}};
}

}  // namespace redress::http
