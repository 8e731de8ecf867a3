// Report wording in the six languages of SPEC §7, with the glossary's terms
// (../shared/GLOSSARY.md). Codes persisted by Redress (states, channels,
// fishbone families, remedy types, …) are translated here too, so a report
// never shows a raw code where a word exists.
#pragma once

#include <string>
#include <string_view>

namespace redress::reports {

// The text of `key` in `lang` (en, es, fr, zh-Hans, zh-Hant, vi); English when
// the language is unknown; `key` itself when the key is unknown (a code the
// table does not know is shown as it is rather than dropped).
std::string label(std::string_view lang, std::string_view key);

// label(lang, prefix + "." + code): e.g. term(lang, "family", "people").
std::string term(std::string_view lang, std::string_view prefix, std::string_view code);

}  // namespace redress::reports
