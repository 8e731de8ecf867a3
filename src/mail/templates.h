// E-mail templates per kind and language (SPEC §5, §7), rendered with
// kainjow mustache. Defaults are compiled in; an administrator may override
// any of them with a file `<dir>/<kind>.<language>.mustache` whose first
// line is the subject and the rest the body. Mail is text/plain, so values
// are inserted as they are (no HTML escaping).
#pragma once

#include <filesystem>
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
// reply, survey, sla_warning, escalation, assignment.
const std::vector<std::string>& template_kinds();

// Renders `kind` in `language` (falling back to English for a language
// without a template) with the string, number and boolean members of `data`
// as variables. `override_dir`, when set, is searched first. not_found for
// an unknown kind; invalid_argument for a template that does not parse.
// Thread-safe.
Result<RenderedMail> render(const std::string& kind, const std::string& language,
                            const nlohmann::json& data,
                            const std::optional<std::filesystem::path>& override_dir);

}  // namespace redress::mail
