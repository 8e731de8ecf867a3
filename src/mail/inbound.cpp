#include "mail/inbound.h"

#include <gmime/gmime.h>
#include <unicode/normalizer2.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace redress::mail {

namespace {

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });  // g_mime_init counts; safe beside message.cpp
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool valid_utf8(std::string_view s) {
  std::int32_t i = 0;
  const auto n = static_cast<std::int32_t>(s.size());
  while (i < n) {
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const std::uint8_t*>(s.data()), i, n, c);
    if (c < 0) return false;
  }
  return true;
}

// The converter name ICU should use for a MIME charset label. Labels that
// mail clients send for a smaller charset than they write are widened the
// way browsers do (WHATWG Encoding): GB2312 mail is routinely GBK, and
// ISO-8859-1 mail routinely has Windows-1252 quotes and euro signs.
std::string icu_name(std::string_view charset) {
  const std::string c = lower(charset);
  if (c == "gb2312" || c == "gbk" || c == "x-gbk" || c == "cp936" || c == "euc-cn" ||
      c == "csgb2312" || c == "gb_2312-80" || c == "chinese" || c == "gb18030") {
    return "gb18030";
  }
  if (c == "iso-8859-1" || c == "iso8859-1" || c == "latin1" || c == "l1" || c == "cp819" ||
      c == "us-ascii" || c == "ascii" || c == "iso_8859-1" || c == "windows-1252" ||
      c == "cp1252") {
    return "windows-1252";
  }
  if (c == "big5" || c == "x-big5" || c == "cn-big5" || c == "csbig5") return "windows-950";
  if (c == "windows-1258" || c == "cp1258" || c == "x-cp1258") return "windows-1258";
  return c;
}

std::string nfc(const icu::UnicodeString& text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  std::string out;
  if (U_FAILURE(status)) {
    text.toUTF8String(out);
    return out;
  }
  const icu::UnicodeString normal = n->normalize(text, status);
  (U_FAILURE(status) ? text : normal).toUTF8String(out);
  return out;
}

std::string decode_with(std::string_view bytes, const char* converter, bool* ok) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(converter, &status);
  if (U_FAILURE(status) || conv == nullptr) {
    *ok = false;
    return {};
  }
  *ok = true;
  icu::UnicodeString text(bytes.data(), static_cast<std::int32_t>(bytes.size()), conv, status);
  ucnv_close(conv);
  if (U_FAILURE(status)) {
    *ok = false;
    return {};
  }
  return nfc(text);
}

std::string crlf_to_lf(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

template <class T>
struct Ref {  // one GObject reference
  T* p;
  explicit Ref(T* ptr) : p(ptr) {}
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  ~Ref() {
    if (p) g_object_unref(p);
  }
};

// The decoded content (transfer encoding removed) of a leaf part.
std::string part_bytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  Ref<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, stream.p);
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.p));
  return bytes ? std::string(reinterpret_cast<const char*>(bytes->data), bytes->len)
               : std::string();
}

std::string header(GMimeObject* object, const char* name) {
  const char* v = g_mime_object_get_header(object, name);
  return v ? std::string(v) : std::string();
}

std::string trimmed(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> message_ids(GMimeParserOptions* options, const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  GMimeReferences* refs = g_mime_references_parse(options, text.c_str());
  if (refs == nullptr) return out;
  for (int i = 0; i < g_mime_references_length(refs); ++i) {
    const char* id = g_mime_references_get_message_id(refs, i);
    if (id != nullptr && *id != '\0') out.push_back("<" + to_utf8(id, "utf-8") + ">");
  }
  g_mime_references_free(refs);
  return out;
}

struct Walk {
  std::optional<std::pair<std::string, std::string>> plain;  // bytes, charset
  std::optional<std::pair<std::string, std::string>> html;
  std::vector<InboundAttachment> attachments;
  std::vector<std::string> skipped;
  int depth = 0;
};

void walk(GMimeObject* object, Walk& w) {
  if (object == nullptr || w.depth > 32) return;
  if (GMIME_IS_MULTIPART(object)) {
    ++w.depth;
    GMimeMultipart* mp = GMIME_MULTIPART(object);
    for (int i = 0; i < g_mime_multipart_get_count(mp); ++i) {
      walk(g_mime_multipart_get_part(mp, i), w);
    }
    --w.depth;
    return;
  }
  GMimeContentType* type = g_mime_object_get_content_type(object);
  char* mime = type ? g_mime_content_type_get_mime_type(type) : nullptr;
  const std::string mime_type = mime ? lower(mime) : "application/octet-stream";
  g_free(mime);
  if (GMIME_IS_MESSAGE_PART(object)) {
    // A forwarded or bounced message: not evidence we can check (libmagic
    // would call it message/rfc822), so it is named in the record instead.
    w.skipped.push_back("a forwarded message (" + mime_type + ")");
    return;
  }
  if (!GMIME_IS_PART(object)) return;
  GMimePart* part = GMIME_PART(object);
  const char* filename = g_mime_part_get_filename(part);
  const bool attachment = g_mime_part_is_attachment(part) || filename != nullptr;
  const char* cs = type ? g_mime_content_type_get_parameter(type, "charset") : nullptr;
  const std::string charset = cs ? cs : "";
  if (!attachment && mime_type == "text/plain" && !w.plain) {
    w.plain.emplace(part_bytes(part), charset);
  } else if (!attachment && mime_type == "text/html" && !w.html) {
    w.html.emplace(part_bytes(part), charset);
  } else if (!attachment && g_str_has_prefix(mime_type.c_str(), "multipart/")) {
    return;  // an empty multipart
  } else {
    InboundAttachment a;
    a.filename = filename ? to_utf8(filename, "utf-8") : "";
    a.content_type = mime_type;
    a.data = part_bytes(part);
    w.attachments.push_back(std::move(a));
  }
}

std::string automatic_reason(GMimeObject* object, const std::string& from_address,
                             const std::string& top_type) {
  const std::string auto_submitted = lower(trimmed(header(object, "Auto-Submitted")));
  if (!auto_submitted.empty() && auto_submitted != "no") {
    return "Auto-Submitted: " + auto_submitted;
  }
  if (!header(object, "X-Autoreply").empty() || !header(object, "X-Autorespond").empty()) {
    return "an auto-reply (X-Autoreply)";
  }
  const std::string precedence = lower(trimmed(header(object, "Precedence")));
  if (precedence == "bulk" || precedence == "junk" || precedence == "auto_reply" ||
      precedence == "list") {
    return "Precedence: " + precedence;
  }
  if (top_type == "multipart/report") return "a delivery or disposition report";
  const std::string local = lower(from_address.substr(0, from_address.find('@')));
  if (local == "mailer-daemon" || local == "postmaster") return "a bounce from " + local;
  const std::string return_path = trimmed(header(object, "Return-Path"));
  if (return_path == "<>") return "a bounce (empty Return-Path)";
  return {};
}

std::string decode_any(std::string_view bytes, std::string_view charset);

}  // namespace

std::string to_utf8(std::string_view bytes, std::string_view charset) {
  std::string out = decode_any(bytes, charset);
  std::erase(out, '\0');  // PostgreSQL text cannot hold NUL; no mail text needs it
  return out;
}

namespace {

std::string decode_any(std::string_view bytes, std::string_view charset) {
  bool ok = false;
  if (!charset.empty()) {
    const std::string name = icu_name(charset);
    const bool says_utf8 = name == "utf-8" || name == "utf8";
    if (!says_utf8 || valid_utf8(bytes)) {
      std::string out = decode_with(bytes, name.c_str(), &ok);
      if (ok) return out;
    }
  }
  if (valid_utf8(bytes)) return decode_with(bytes, "utf-8", &ok);
  return decode_with(bytes, "windows-1252", &ok);
}

}  // namespace

std::string html_to_text(std::string_view html) {
  static constexpr std::string_view kBlocks[] = {
      "p",     "/p",     "div", "/div", "br",  "br/", "li",  "/li", "tr",         "/tr",
      "h1",    "h2",     "h3",  "h4",   "/h1", "/h2", "/h3", "/h4", "blockquote", "/blockquote",
      "table", "/table", "ul",  "/ul",  "ol",  "/ol", "hr",  "hr/"};
  std::string out;
  std::size_t i = 0;
  while (i < html.size()) {
    const char ch = html[i];
    if (ch == '<') {
      const auto close = html.find('>', i);
      if (close == std::string_view::npos) break;
      std::string tag = lower(html.substr(i + 1, close - i - 1));
      if (tag.starts_with("!--")) {
        const auto end = html.find("-->", i);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      const auto space = tag.find_first_of(" \t\r\n");
      std::string name = tag.substr(0, space);
      if (!name.empty() && name.back() == '/' && name != "br/" && name != "hr/") name.pop_back();
      if (name == "script" || name == "style" || name == "head" || name == "title") {
        const auto end = lower(html.substr(close)).find("</" + name);
        i = end == std::string::npos ? html.size() : close + end;
        const auto gt = html.find('>', i);
        i = gt == std::string_view::npos ? html.size() : gt + 1;
        continue;
      }
      if (std::find(std::begin(kBlocks), std::end(kBlocks), name) != std::end(kBlocks)) {
        out.push_back('\n');
      }
      if (name == "td" || name == "th") out.push_back(' ');
      i = close + 1;
      continue;
    }
    if (ch == '&') {
      const auto semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        const std::string entity(html.substr(i + 1, semi - i - 1));
        UChar32 code = -1;
        if (entity == "amp") code = '&';
        if (entity == "lt") code = '<';
        if (entity == "gt") code = '>';
        if (entity == "quot") code = '"';
        if (entity == "apos" || entity == "#39") code = '\'';
        if (entity == "nbsp") code = ' ';
        if (entity.size() > 1 && entity[0] == '#') {
          try {
            code = entity[1] == 'x' || entity[1] == 'X'
                       ? static_cast<UChar32>(std::stol(entity.substr(2), nullptr, 16))
                       : static_cast<UChar32>(std::stol(entity.substr(1)));
          } catch (const std::exception&) {
            code = -1;
          }
          if (code <= 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
        }
        if (code >= 0) {
          icu::UnicodeString u(code);
          u.toUTF8String(out);
          i = semi + 1;
          continue;
        }
      }
    }
    // Whitespace in HTML source is layout, not text: runs become one space.
    if (ch == '\r' || ch == '\n' || ch == '\t' || ch == ' ') {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
      ++i;
      continue;
    }
    out.push_back(ch);
    ++i;
  }
  // Trim spaces around line breaks and keep at most one blank line.
  std::string clean;
  int newlines = 0;
  for (char c : out) {
    if (c == '\n') {
      while (!clean.empty() && clean.back() == ' ') clean.pop_back();
      if (++newlines <= 2 && !clean.empty()) clean.push_back('\n');
      continue;
    }
    if (c == ' ' && (clean.empty() || clean.back() == '\n')) continue;
    newlines = 0;
    clean.push_back(c);
  }
  return trimmed(clean);
}

std::vector<std::string> tracking_codes_in(std::string_view text) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::vector<std::string> out;
  for (std::size_t at = text.find("RD-"); at != std::string_view::npos;
       at = text.find("RD-", at + 1)) {
    if (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))) continue;
    if (at + 11 > text.size()) break;
    const std::string_view code = text.substr(at + 3, 8);
    if (!std::all_of(code.begin(), code.end(),
                     [](char c) { return kAlphabet.find(c) != std::string_view::npos; })) {
      continue;
    }
    if (at + 11 < text.size() && std::isalnum(static_cast<unsigned char>(text[at + 11]))) continue;
    std::string found(text.substr(at, 11));
    if (std::find(out.begin(), out.end(), found) == out.end()) out.push_back(std::move(found));
  }
  return out;
}

std::string guess_language(const InboundMail& mail) {
  const std::string tag = lower(mail.content_language.substr(0, mail.content_language.find(',')));
  if (tag.starts_with("zh")) {
    return tag.find("hant") != std::string::npos || tag.ends_with("-tw") || tag.ends_with("-hk") ||
                   tag.ends_with("-mo")
               ? "zh-Hant"
               : "zh-Hans";
  }
  for (const char* l : {"vi", "fr", "es", "en"}) {
    if (tag == l || tag.starts_with(std::string(l) + "-")) return l;
  }
  const std::string cs = icu_name(mail.body_charset);
  if (cs == "gb18030") return "zh-Hans";
  if (cs == "windows-950" || lower(mail.body_charset).starts_with("big5")) return "zh-Hant";
  if (cs == "windows-1258") return "vi";
  // Script of the text: Han characters, or letters only Vietnamese uses.
  const std::string sample = mail.subject + "\n" + mail.body.substr(0, 4000);
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(sample);
  int han = 0, viet = 0;
  for (std::int32_t i = 0; i < u.length(); ++i) {
    const UChar c = u.charAt(i);
    if (c >= 0x4E00 && c <= 0x9FFF) ++han;
    if (c == 0x01A1 || c == 0x01A0 || c == 0x01B0 || c == 0x01AF || c == 0x0111 || c == 0x0110 ||
        (c >= 0x1EA0 && c <= 0x1EF9)) {
      ++viet;
    }
  }
  if (han >= 2) return "zh-Hans";
  if (viet >= 2) return "vi";
  return "en";
}

Result<InboundMail> parse_inbound(std::string_view raw) {
  init_gmime();
  Ref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  Ref<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
  GMimeParserOptions* options = g_mime_parser_options_new();
  // Raw 8-bit headers without RFC 2047: UTF-8 first, then the charsets our
  // customers' mail clients use most; GMime picks the first that converts.
  const char* fallback[] = {"utf-8", "gb18030", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options, fallback);
  std::unique_ptr<GMimeParserOptions, void (*)(GMimeParserOptions*)> owned_options(
      options, g_mime_parser_options_free);
  Ref<GMimeMessage> message(g_mime_parser_construct_message(parser.p, options));
  if (message.p == nullptr) {
    return fail(Error::invalid("message", "not an RFC 5322 message (no readable header)"));
  }
  GMimeObject* object = GMIME_OBJECT(message.p);
  InboundMail m;

  InternetAddressList* from = g_mime_message_get_from(message.p);
  for (int i = 0; from != nullptr && i < internet_address_list_length(from); ++i) {
    InternetAddress* ia = internet_address_list_get_address(from, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
      const char* name = internet_address_get_name(ia);
      m.from_address = addr ? trimmed(to_utf8(addr, "utf-8")) : "";
      m.from_name = name ? to_utf8(name, "utf-8") : "";
      if (!m.from_address.empty()) break;
    }
  }
  if (m.from_address.find('@') == std::string::npos || m.from_address.size() > 254) {
    return fail(Error::invalid("from", "the mail has no usable From address"));
  }
  const char* subject = g_mime_message_get_subject(message.p);
  m.subject = subject ? to_utf8(crlf_to_lf(subject), "utf-8") : "";
  std::replace(m.subject.begin(), m.subject.end(), '\n', ' ');
  const char* id = g_mime_message_get_message_id(message.p);
  if (id != nullptr && *id != '\0') m.message_id = "<" + to_utf8(id, "utf-8") + ">";
  m.in_reply_to = message_ids(options, header(object, "In-Reply-To"));
  m.references = message_ids(options, header(object, "References"));
  m.content_language = trimmed(to_utf8(header(object, "Content-Language"), "utf-8"));

  GMimeObject* body = g_mime_message_get_mime_part(message.p);
  std::string top_type;
  if (body != nullptr) {
    if (GMimeContentType* t = g_mime_object_get_content_type(body)) {
      char* mime = g_mime_content_type_get_mime_type(t);
      top_type = mime ? lower(mime) : "";
      g_free(mime);
    }
  }
  m.automatic = automatic_reason(object, m.from_address, top_type);
  Walk w;
  walk(body, w);
  if (w.plain) {
    m.body_charset = w.plain->second;
    m.body = crlf_to_lf(to_utf8(w.plain->first, w.plain->second));
  } else if (w.html) {
    m.body_charset = w.html->second;
    m.body = html_to_text(crlf_to_lf(to_utf8(w.html->first, w.html->second)));
    m.body_from_html = true;
  }
  m.body = trimmed(m.body);
  m.attachments = std::move(w.attachments);
  m.skipped = std::move(w.skipped);
  return m;
}

}  // namespace redress::mail
