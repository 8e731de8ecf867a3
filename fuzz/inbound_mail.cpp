// Fuzzes the e-mail-in parser (src/mail/inbound.cpp: GMime structure, ICU charsets, the
// HTML-to-text fallback, threading keys). Input: a raw received message. Whatever it is,
// a parsed mail must hold only valid UTF-8 without NUL in every text the store keeps
// (PostgreSQL refuses anything else), Message-IDs in angle brackets, a sender with '@',
// and well-formed tracking codes; a refusal names the message or the sender.
#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mail/inbound.h"

using namespace redress;
using namespace redress::mail;

namespace {

void require_text(std::string_view s) {
  std::int32_t i = 0;
  const auto n = static_cast<std::int32_t>(s.size());
  while (i < n) {
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const std::uint8_t*>(s.data()), i, n, c);
    if (c <= 0) __builtin_trap();  // invalid UTF-8 (negative) or NUL
  }
}

void require_id(std::string_view id) {
  if (id.size() < 2 || id.front() != '<' || id.back() != '>') __builtin_trap();
  require_text(id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto m = parse_inbound(raw);
  if (!m) {
    const auto& fields = m.error().fields;
    if (fields.empty() || (fields[0].field != "message" && fields[0].field != "from")) {
      __builtin_trap();
    }
  } else {
    if (m->from_address.find('@') == std::string::npos) __builtin_trap();
    for (std::string_view s : {std::string_view(m->from_address), std::string_view(m->from_name),
                               std::string_view(m->subject), std::string_view(m->body),
                               std::string_view(m->content_language)}) {
      require_text(s);
    }
    if (!m->message_id.empty()) require_id(m->message_id);
    for (const auto& id : m->in_reply_to) require_id(id);
    for (const auto& id : m->references) require_id(id);
    for (const auto& a : m->attachments) require_text(a.filename);
    for (const auto& code : tracking_codes_in(m->subject)) {
      if (code.size() != 11 || !code.starts_with("RD-")) __builtin_trap();
    }
    const std::string lang = guess_language(*m);
    if (lang != "en" && lang != "es" && lang != "fr" && lang != "vi" && lang != "zh-Hans" &&
        lang != "zh-Hant") {
      __builtin_trap();
    }
  }
  // The converters on their own, with the charsets customers send.
  for (const char* charset : {"utf-8", "gb2312", "big5", "windows-1258", "iso-8859-1", "", "x"}) {
    require_text(to_utf8(raw, charset));
  }
  require_text(html_to_text(to_utf8(raw, "utf-8")));
  return 0;
}
