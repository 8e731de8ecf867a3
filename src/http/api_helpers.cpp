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

app::IntakeRequest read_intake(FieldReader& r, std::vector<FieldError>& errors) {
  app::IntakeRequest req;
  if (const Json* customer = r.object("customer")) {
    FieldReader c(*customer, errors, "customer.");
    req.customer.name = c.str("name", 200).value_or("");
    req.customer.email = c.str("email", 254).value_or("");
    req.customer.phone = c.str("phone", 50).value_or("");
    req.customer.language = c.str("language", 16).value_or("en");
    req.customer.reply_channel = c.enumeration<Channel>("reply_channel");
  } else if (errors.empty()) {
    errors.push_back({"customer", "is required: {name, email, phone, language}"});
  }
  req.subject = r.str("subject", 500).value_or("");
  req.description = r.str("description").value_or("");
  req.demands = r.str("demands").value_or("");
  req.place = r.str("place", 500).value_or("");
  req.people_involved = r.str("people_involved", 2000).value_or("");
  if (const Json* object = r.object("object")) {
    FieldReader o(*object, errors, "object.");
    req.object_type = o.str("type", 100).value_or("");
    req.object_ref = o.str("ref", 500).value_or("");
  }
  req.occurred_at = r.instant("occurred_at");
  req.channel = r.enumeration<Channel>("channel");
  req.received_at = r.instant("received_at");
  req.tags = r.strings("tags").value_or(std::vector<std::string>{});
  return req;
}

}  // namespace redress::http
