#include "mail/message.h"

#include <gmime/gmime.h>

#include <mutex>

namespace redress::mail {

namespace {

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// Owns one GObject reference.
template <class T>
struct GObjectRef {
  T* p;
  explicit GObjectRef(T* ptr) : p(ptr) {}
  GObjectRef(const GObjectRef&) = delete;
  GObjectRef& operator=(const GObjectRef&) = delete;
  ~GObjectRef() {
    if (p) g_object_unref(p);
  }
};

}  // namespace

Result<std::string> build_message(const Envelope& e, const std::string& subject,
                                  const std::string& body,
                                  const std::vector<MailAttachment>& attachments) {
  init_gmime();
  if (e.from.empty() || e.to.empty()) {
    return fail(Error::invalid("recipient", "sender and recipient addresses are required"));
  }
  for (const MailAttachment& a : attachments) {
    const auto slash = a.content_type.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == a.content_type.size()) {
      return fail(Error::invalid("attachment",
                                 "content type '" + a.content_type + "' is not type/subtype"));
    }
  }
  GObjectRef<GMimeMessage> message(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(message.p, GMIME_ADDRESS_TYPE_FROM, e.from_name.c_str(),
                             e.from.c_str());
  g_mime_message_add_mailbox(message.p, GMIME_ADDRESS_TYPE_TO, "", e.to.c_str());
  g_mime_message_set_subject(message.p, subject.c_str(), "utf-8");
  g_mime_message_set_message_id(message.p, e.message_id.c_str());
  GDateTime* date = g_date_time_new_from_unix_utc(
      std::chrono::duration_cast<std::chrono::seconds>(e.date.time_since_epoch()).count());
  g_mime_message_set_date(message.p, date);
  g_date_time_unref(date);
  GMimeObject* object = GMIME_OBJECT(message.p);
  g_mime_object_set_header(object, "Auto-Submitted", "auto-generated", "utf-8");
  for (const auto& [name, value] : e.extra_headers) {
    g_mime_object_set_header(object, name.c_str(), value.c_str(), "utf-8");
  }

  GObjectRef<GMimeTextPart> part(g_mime_text_part_new_with_subtype("plain"));
  g_mime_text_part_set_text(part.p, body.c_str());  // picks us-ascii or utf-8
  g_mime_text_part_set_charset(part.p, "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(part.p), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  if (attachments.empty()) {
    g_mime_message_set_mime_part(message.p, GMIME_OBJECT(part.p));
  } else {
    GObjectRef<GMimeMultipart> mixed(g_mime_multipart_new_with_subtype("mixed"));
    g_mime_multipart_add(mixed.p, GMIME_OBJECT(part.p));
    for (const MailAttachment& a : attachments) {
      const auto slash = a.content_type.find('/');
      const std::string type = a.content_type.substr(0, slash);
      const std::string subtype = a.content_type.substr(slash + 1);
      GObjectRef<GMimePart> file(g_mime_part_new_with_type(type.c_str(), subtype.c_str()));
      g_mime_object_set_disposition(GMIME_OBJECT(file.p), GMIME_DISPOSITION_ATTACHMENT);
      g_mime_part_set_filename(file.p, a.filename.c_str());
      GObjectRef<GMimeStream> stream(
          g_mime_stream_mem_new_with_buffer(a.data.data(), a.data.size()));
      GObjectRef<GMimeDataWrapper> content(
          g_mime_data_wrapper_new_with_stream(stream.p, GMIME_CONTENT_ENCODING_DEFAULT));
      g_mime_part_set_content(file.p, content.p);
      g_mime_part_set_content_encoding(file.p, GMIME_CONTENT_ENCODING_BASE64);
      g_mime_multipart_add(mixed.p, GMIME_OBJECT(file.p));
    }
    g_mime_message_set_mime_part(message.p, GMIME_OBJECT(mixed.p));
  }

  GMimeFormatOptions* options = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  char* text = g_mime_object_to_string(object, options);
  g_mime_format_options_free(options);
  if (text == nullptr) return fail(Error::internal("GMime could not write the message"));
  std::string out(text);
  g_free(text);
  return out;
}

}  // namespace redress::mail
