#include "mail/imap.h"

#include <libetpan/libetpan.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace redress::mail {

namespace {

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// What the server said last, for error messages (never contains the password:
// LOGIN's reply does not echo it).
std::string server_words(mailimap* imap, int rc) {
  std::string out = "IMAP error " + std::to_string(rc);
  if (imap != nullptr && imap->imap_response != nullptr && *imap->imap_response != '\0') {
    out += ": ";
    out += imap->imap_response;
  }
  return out;
}

bool ok(int rc) {
  return rc == MAILIMAP_NO_ERROR || rc == MAILIMAP_NO_ERROR_AUTHENTICATED ||
         rc == MAILIMAP_NO_ERROR_NON_AUTHENTICATED;
}

}  // namespace

Result<ImapUrl> parse_imap_url(const std::string& url) {
  ImapUrl u;
  std::string rest;
  if (url.starts_with("imaps://")) {
    u.tls = true;
    u.port = 993;
    rest = url.substr(8);
  } else if (url.starts_with("imap://")) {
    rest = url.substr(7);
  } else {
    return fail(Error::invalid("imap_url", "must start with imap:// or imaps://"));
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos && slash + 1 < rest.size()) {
    u.mailbox = percent_decode(rest.substr(slash + 1));
  }
  const auto at = authority.rfind('@');
  if (at != std::string::npos) {
    const std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    u.user = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string::npos) u.password = percent_decode(userinfo.substr(colon + 1));
  }
  const auto colon = authority.rfind(':');
  u.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535 ||
        std::stoi(port) == 0) {
      return fail(Error::invalid("imap_url", "the port must be a number from 1 to 65535"));
    }
    u.port = static_cast<std::uint16_t>(std::stoi(port));
  }
  if (u.host.empty()) return fail(Error::invalid("imap_url", "names no host"));
  if (u.user.empty()) return fail(Error::invalid("imap_url", "names no user (imap://USER:PW@…)"));
  u.display = std::string(u.tls ? "imaps://" : "imap://") + u.host + ":" + std::to_string(u.port) +
              "/" + u.mailbox;
  return u;
}

Result<std::unique_ptr<ImapSession>> ImapSession::open(const ImapConfig& config) {
  REDRESS_TRY(ImapUrl url, parse_imap_url(config.url));
  std::unique_ptr<ImapSession> s(new ImapSession());
  s->url_ = url;
  s->imap_ = mailimap_new(0, nullptr);
  if (s->imap_ == nullptr) return fail(Error::internal("mailimap_new failed"));
  mailimap_set_timeout(s->imap_, static_cast<time_t>(config.timeout.count()));
  const std::string where = " (" + url.display + ")";
  int rc = url.tls ? mailimap_ssl_connect(s->imap_, url.host.c_str(), url.port)
                   : mailimap_socket_connect(s->imap_, url.host.c_str(), url.port);
  if (!ok(rc))
    return fail(Error::unavailable("cannot connect" + where + ": " + server_words(s->imap_, rc)));
  if (!url.tls && config.tls != ImapConfig::Tls::none) {
    rc = mailimap_socket_starttls(s->imap_);
    if (!ok(rc) && config.tls == ImapConfig::Tls::require) {
      return fail(
          Error::unavailable("STARTTLS refused" + where + ": " + server_words(s->imap_, rc)));
    }
    if (!ok(rc)) {  // "try": the server offers no STARTTLS; reconnect in plain text
      mailimap_free(s->imap_);
      s->imap_ = mailimap_new(0, nullptr);
      mailimap_set_timeout(s->imap_, static_cast<time_t>(config.timeout.count()));
      rc = mailimap_socket_connect(s->imap_, url.host.c_str(), url.port);
      if (!ok(rc)) {
        return fail(
            Error::unavailable("cannot connect" + where + ": " + server_words(s->imap_, rc)));
      }
    }
  }
  rc = mailimap_login(s->imap_, url.user.c_str(), url.password.c_str());
  if (!ok(rc)) {
    return fail(
        Error{ErrorCode::unauthenticated,
              "IMAP login refused for " + url.user + where + ": " + server_words(s->imap_, rc),
              {}});
  }
  rc = mailimap_select(s->imap_, url.mailbox.c_str());
  if (!ok(rc)) {
    return fail(Error::unavailable("cannot select the mailbox" + where + ": " +
                                   server_words(s->imap_, rc)));
  }
  if (s->imap_->imap_selection_info == nullptr ||
      s->imap_->imap_selection_info->sel_uidvalidity == 0) {
    return fail(Error::unavailable("the server reported no UIDVALIDITY" + where));
  }
  s->uidvalidity_ = s->imap_->imap_selection_info->sel_uidvalidity;
  return s;
}

ImapSession::~ImapSession() {
  if (imap_ != nullptr) {
    mailimap_logout(imap_);
    mailimap_free(imap_);
  }
}

Result<std::vector<std::uint32_t>> ImapSession::unseen() {
  mailimap_search_key* key = mailimap_search_key_new(
      MAILIMAP_SEARCH_KEY_UNSEEN, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
      nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, 0, nullptr, nullptr, nullptr,
      nullptr, nullptr, nullptr, 0, nullptr, nullptr, nullptr);
  clist* found = nullptr;
  const int rc = mailimap_uid_search(imap_, nullptr, key, &found);
  mailimap_search_key_free(key);
  if (!ok(rc)) return fail(Error::unavailable("UID SEARCH UNSEEN: " + server_words(imap_, rc)));
  std::vector<std::uint32_t> uids;
  for (clistiter* it = clist_begin(found); it != nullptr; it = clist_next(it)) {
    uids.push_back(*static_cast<std::uint32_t*>(clist_content(it)));
  }
  mailimap_search_result_free(found);
  std::sort(uids.begin(), uids.end());
  return uids;
}

Result<std::string> ImapSession::fetch(std::uint32_t uid) {
  mailimap_set* set = mailimap_set_new_single(uid);
  mailimap_fetch_type* type = mailimap_fetch_type_new_fetch_att_list_empty();
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
  mailimap_fetch_type_new_fetch_att_list_add(
      type, mailimap_fetch_att_new_body_peek_section(mailimap_section_new(nullptr)));
  clist* result = nullptr;
  const int rc = mailimap_uid_fetch(imap_, set, type, &result);
  mailimap_fetch_type_free(type);
  mailimap_set_free(set);
  if (!ok(rc)) {
    return fail(
        Error::unavailable("UID FETCH " + std::to_string(uid) + ": " + server_words(imap_, rc)));
  }
  std::optional<std::string> body;
  for (clistiter* it = clist_begin(result); it != nullptr; it = clist_next(it)) {
    auto* msg = static_cast<mailimap_msg_att*>(clist_content(it));
    std::uint32_t got_uid = 0;
    std::optional<std::string> content;
    for (clistiter* a = clist_begin(msg->att_list); a != nullptr; a = clist_next(a)) {
      auto* item = static_cast<mailimap_msg_att_item*>(clist_content(a));
      if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC) continue;
      mailimap_msg_att_static* st = item->att_data.att_static;
      if (st->att_type == MAILIMAP_MSG_ATT_UID) got_uid = st->att_data.att_uid;
      if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION && st->att_data.att_body_section &&
          st->att_data.att_body_section->sec_body_part) {
        content.emplace(st->att_data.att_body_section->sec_body_part,
                        st->att_data.att_body_section->sec_length);
      }
    }
    if (got_uid == uid && content) body = std::move(content);
  }
  mailimap_fetch_list_free(result);
  if (!body) return fail(Error::not_found("IMAP message UID " + std::to_string(uid)));
  return std::move(*body);
}

Status ImapSession::add_flag(std::uint32_t uid, ImapFlag flag) {
  mailimap_flag_list* flags = mailimap_flag_list_new_empty();
  mailimap_flag_list_add(
      flags, flag == ImapFlag::seen ? mailimap_flag_new_seen() : mailimap_flag_new_flagged());
  mailimap_store_att_flags* store = mailimap_store_att_flags_new_add_flags_silent(flags);
  mailimap_set* set = mailimap_set_new_single(uid);
  const int rc = mailimap_uid_store(imap_, set, store);
  mailimap_store_att_flags_free(store);
  mailimap_set_free(set);
  if (!ok(rc)) {
    return fail(
        Error::unavailable("UID STORE " + std::to_string(uid) + ": " + server_words(imap_, rc)));
  }
  return {};
}

}  // namespace redress::mail
