// JSON in and out of the API: a reader that collects one FieldError per bad
// field (so a 422 names them all), and the representations of the records.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/case_records.h"
#include "app/complaints.h"
#include "app/portal.h"
#include "core/enums.h"
#include "core/time.h"
#include "http/message.h"

namespace redress::http {

using Json = nlohmann::json;

// Parses a request body as a JSON object; invalid_argument naming "body"
// (mapped to 400 by the caller) otherwise.
Result<Json> parse_json_object(const std::string& body);

// Reads typed fields from a JSON object. Absent and null fields read as
// nullopt; a field of the wrong type or out of its vocabulary records a
// FieldError and reads as nullopt. `prefix` names nested objects in errors.
class FieldReader {
 public:
  FieldReader(const Json& object, std::vector<FieldError>& errors, std::string prefix = "")
      : object_(object), errors_(errors), prefix_(std::move(prefix)) {}
  std::optional<std::string> str(const char* name, std::size_t max_bytes = 20000);
  std::optional<std::int64_t> integer(const char* name);
  std::optional<double> number(const char* name);
  std::optional<bool> boolean(const char* name);
  std::optional<Instant> instant(const char* name);
  std::optional<std::vector<std::string>> strings(const char* name);
  std::optional<std::vector<std::int64_t>> integers(const char* name);
  template <class E>
  std::optional<E> enumeration(const char* name) {
    auto text = str(name, 64);
    if (!text) return std::nullopt;
    if (auto v = parse<E>(*text)) return v;
    error({name, "is not a valid value: '" + *text + "'", "invalid_value", {{"value", *text}}});
    return std::nullopt;
  }
  // The nested object `name`, or nullptr when absent (an error if not an object).
  const Json* object(const char* name);
  // The nested array `name`, or nullptr when absent.
  const Json* array(const char* name);
  // Records an error on field `name` (prefixed like every field here).
  void error(const char* name, std::string message);
  // Records `e`, its field prefixed like every field here.
  void error(FieldError e);
  std::string field(const char* name) const { return prefix_ + name; }

 private:
  // The field `name` when it has `type`; otherwise records a "type" error
  // (`type_name` in its message, `type_key` its param) and answers nullptr.
  const Json* get(const char* name, Json::value_t type, const char* type_name,
                  const char* type_key);
  const Json& object_;
  std::vector<FieldError>& errors_;
  std::string prefix_;
};

Json iso(const std::optional<Instant>& t);
Json complaint_json(const app::ComplaintView& v);
Json event_json(const Event& e);
Json message_json(const Message& m);
Json remedy_json(const Remedy& r);
Json cause_json(const Cause& c);
Json task_json(const Task& t);
Json attachment_json(const Attachment& a);
Json accountability_json(const AccountabilityEntry& e);
Json improvement_action_json(const ImprovementAction& a);
Json user_json(const User& u);
Json department_json(const Department& d);
Json category_json(const Category& c);
Json policy_json(const Policy& p);
Json routing_rule_json(const RoutingRule& r);
Json sanction_rule_json(const SanctionRule& r);
Json public_json(const app::PublicView& v);
// An attachment as the customer sees it on the portal: name, type, size, date
// (no digest, no uploader).
Json public_attachment_json(const Attachment& a);

}  // namespace redress::http
