// Fuzzes the JSON body of every route that creates or changes something: the body goes
// through parse_json_object and then through EVERY reader of requests.h (each reader must
// cope with any JSON object, whichever route it belongs to), and the 422 answer the route
// would send is built, as problem.cpp builds it. A crash, a sanitizer report or an escaping
// exception (e.g. nlohmann refusing to serialise an error message) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/problem.h"
#include "http/requests.h"

using namespace redress;
using namespace redress::http;

namespace {

// Every reported field has a name, and the problem+json answer can be written.
void answer(std::vector<FieldError>& errors) {
  for (const FieldError& e : errors) {
    if (e.field.empty()) __builtin_trap();
  }
  if (!errors.empty()) (void)problem(Error::invalid(std::move(errors)));
}

template <class Read>
void with_reader(const Json& body, Read read) {
  std::vector<FieldError> errors;
  FieldReader f(body, errors);
  read(f, errors);
  answer(errors);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_json_object(text);
  if (!parsed) {
    (void)problem(parsed.error());
    return 0;
  }
  const Json& body = *parsed;
  with_reader(body, [](FieldReader& f, auto& errors) { (void)read_login(f, errors); });
  with_reader(body, [](FieldReader& f, auto& errors) { (void)read_intake(f, errors); });
  if (auto t = read_transition(body); !t) (void)problem(t.error());
  {
    std::vector<FieldError> errors;
    (void)read_complaint_patch(body, errors);
    answer(errors);
  }
  with_reader(body, [](FieldReader& f, auto& errors) { (void)read_new_user(f, errors); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_department(f); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_category(f); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_policy(f, Policy{}); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_routing_rule(f); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_sanction_rule(f); });
  with_reader(body, [](FieldReader& f, auto&) {
    BusinessCalendar c = read_calendar(f);
    (void)validate_calendar(c);
  });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_sla_policy(f); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_public_action(f); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_message(f); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_cause(f); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_task(f); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_task_update(f); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_accountability(f); });
  with_reader(body, [](FieldReader& f, auto&) { (void)read_confirm_sanction(f); });
  with_reader(body, [](FieldReader& f, auto& errors) { (void)read_review(f, errors); });
  with_reader(body, [](FieldReader& f, auto& errors) {
    auto s = read_satisfaction(f, errors);
    if (errors.empty() && (s.score < 1 || s.score > 5)) __builtin_trap();
  });
  return 0;
}
