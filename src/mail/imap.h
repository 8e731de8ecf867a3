// An IMAP mailbox session (libetpan): what the mail poller needs and no
// more — the unseen UIDs, one message fetched with BODY.PEEK[] (fetching
// must not set \Seen: a message is marked seen only after what it produced
// is committed), and adding \Seen or \Flagged afterwards.
//
// Why libetpan and not libcurl's IMAP: curl fetches with BODY[] (which sets
// \Seen at once) and hands custom commands' literals (the message) to no
// one, so "seen only after commit" cannot be built on it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

struct mailimap;  // libetpan's session, kept out of this header

namespace redress::mail {

struct ImapConfig {
  // imap://user:password@host:port/MAILBOX (plain, STARTTLS per `tls`) or
  // imaps://… (TLS from the start). User and password are percent-decoded;
  // the mailbox defaults to INBOX.
  std::string url;
  enum class Tls { none, try_starttls, require } tls = Tls::try_starttls;
  std::chrono::seconds timeout{30};
};

// The parts of an IMAP URL. `display` is the URL without credentials: what
// logs, records and the API may show.
struct ImapUrl {
  bool tls = false;  // imaps
  std::string host;
  std::uint16_t port = 143;
  std::string user;
  std::string password;
  std::string mailbox = "INBOX";
  std::string display;
};

// invalid_argument naming what is wrong (scheme, host, port).
Result<ImapUrl> parse_imap_url(const std::string& url);

enum class ImapFlag { seen, flagged };

// One logged-in connection with the mailbox selected (read-write). Not
// thread-safe; one poller uses one session at a time.
class ImapSession {
 public:
  // Connects, logs in and selects the mailbox. unavailable for network,
  // TLS or server errors (with the server's words), unauthenticated for a
  // refused login, invalid_argument for a bad URL.
  static Result<std::unique_ptr<ImapSession>> open(const ImapConfig& config);
  ~ImapSession();
  ImapSession(const ImapSession&) = delete;
  ImapSession& operator=(const ImapSession&) = delete;

  // UIDVALIDITY of the selected mailbox: with the UID it names one message
  // for good (a new UIDVALIDITY means UIDs were reassigned).
  std::uint32_t uidvalidity() const { return uidvalidity_; }
  const ImapUrl& url() const { return url_; }

  // UIDs of the messages without \Seen, ascending.
  Result<std::vector<std::uint32_t>> unseen();
  // The whole message (BODY.PEEK[]: flags unchanged). not_found when the
  // UID is gone (expunged by someone else).
  Result<std::string> fetch(std::uint32_t uid);
  // Adds `flag` to the message.
  Status add_flag(std::uint32_t uid, ImapFlag flag);

 private:
  ImapSession() = default;
  ::mailimap* imap_ = nullptr;
  ImapUrl url_;
  std::uint32_t uidvalidity_ = 0;
};

}  // namespace redress::mail
