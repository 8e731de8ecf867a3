// E-mail templates per kind and language (SPEC §5, §7), rendered with
// kainjow mustache. Defaults are compiled in; administrators override any
// (kind, language) over the API (/api/v1/templates, stored in the database:
// store/hook_repo.h), and jobs/ passes the overrides to render(). Mail is
// text/plain, so values are inserted as they are (no HTML escaping).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace redress::mail {

struct RenderedMail {
  std::string subject;
  std::string body;
};

// The kinds with a template: acknowledgement, question, proposal, rejection,
// reply, survey, sla_warning, escalation, assignment, merged, management_review.
const std::vector<std::string>& template_kinds();

// The languages templates ship in: en, es, fr, zh-Hans, zh-Hant, vi.
const std::vector<std::string>& template_languages();

// The shipped template of (kind, language) as mustache text; nullopt when
// none ships (an unknown kind or language).
std::optional<RenderedMail> shipped_template(const std::string& kind, const std::string& language);

// The variables a template of `kind` may use: what the outbox payload of
// that kind carries plus the links delivery adds. Empty for an unknown kind.
const std::vector<std::string>& template_variables(const std::string& kind);

// Checks an administrator's template: subject and body must parse as
// mustache, use only `template_variables(kind)` (sections and inverted
// sections included), no partials or delimiter changes, and the subject
// must be one line (1–300 bytes), the body at most 20000 bytes. Each
// problem names "subject" or "body". Empty when valid.
std::vector<FieldError> validate_template(const std::string& kind, const std::string& subject,
                                          const std::string& body);

// Finds an administrator's override of (kind, language), if any.
using TemplateLookup = std::function<std::optional<RenderedMail>(const std::string& kind,
                                                                 const std::string& language)>;

// Renders `kind` in `language` (falling back to English for a language
// without a template) with the string, number and boolean members of `data`
// as variables. `overrides`, when set, is asked first for each language.
// not_found for an unknown kind; invalid_argument for a template that does
// not parse. Thread-safe when `overrides` is.
Result<RenderedMail> render(const std::string& kind, const std::string& language,
                            const nlohmann::json& data, const TemplateLookup& overrides = {});

}  // namespace redress::mail
