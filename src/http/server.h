// The HTTP/1.1 server: accepts connections, parses requests, runs the routed handler and
// writes the response. Boost.Beast stays inside server.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/router.h"

namespace redress::http {

struct ServerOptions {
  std::string host = "127.0.0.1";            // IP literal or a name resolved once at start()
  std::uint16_t port = 8080;                 // 0 picks a free port; start() returns it
  unsigned threads = 2;                      // io threads, one io_context each; 0 counts as 1
  std::size_t max_header_bytes = 16 * 1024;  // larger request heads are answered with 431
  // Deadline for each phase of a request: waiting for / reading the head, reading the body,
  // writing the response. An idle keep-alive connection is closed after it.
  std::chrono::seconds idle_timeout{60};
  // How long stop() lets in-flight requests finish before it closes their connections.
  std::chrono::seconds drain_timeout{10};
  // Serve HTTPS instead of HTTP: PEM files of the certificate chain (leaf first) and its
  // private key. Empty: plain HTTP (TLS then ends at a reverse proxy). TLS 1.2 is the
  // oldest version offered. The files are read once, by start().
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // Added to every response that does not set the header itself — handler answers,
  // the ErrorResponder's and the plain-text fallbacks alike (security headers).
  Fields default_headers;
};

// Builds the response for failures the server detects itself: 400 (malformed request,
// bad percent-escape in path or query), 404, 405 (the server adds the Allow header),
// 413 (body over the route's max_body_bytes), 431 (head over max_header_bytes) and 500
// (an exception escaped a handler). The app supplies it so every error body is
// problem+json built in one place.
//
// `detail` is a sentence for the log. For 500 it is the exception's what(), which may
// contain internals: log it, do not copy it into the body. `request` is null when the
// request could not be parsed (400, 431); otherwise it has method, path, headers and
// remote_address (its body may be unread; for a 400 about the target, path and raw_path
// hold the whole target as sent). Called concurrently from every io thread, so it
// must be thread-safe; it must not block. If it throws, a plain-text response is sent.
using ErrorResponder =
    std::function<Response(int status, std::string_view detail, const Request* request)>;

// Serves `router` over HTTP/1.1 (keep-alive, pipelining, chunked request bodies,
// Expect: 100-continue). Request bodies are buffered in memory up to the route's
// max_body_bytes. Each io thread runs its own io_context; handlers of one connection
// always run on the same thread.
//
// The Router and the ErrorResponder's captures must outlive the Server. Anything that may
// still call an await_callback callback (the store writer, a worker pool) must be stopped
// after the Server has stopped and before it is destroyed.
class Server {
 public:
  Server(ServerOptions options, const Router& router, ErrorResponder on_error);
  // Stops (as stop()) and joins the io threads. Must not run on an io thread.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the io threads; returns the bound port. With threads > 1
  // every thread gets its own listening socket on the same address through SO_REUSEPORT
  // (the kernel spreads connections); if the OS refuses, one socket accepts and hands
  // connections to the threads in turn. Note SO_REUSEPORT also lets another process of the
  // same user bind the same port without an error.
  // Throws std::system_error when the address cannot be resolved or bound or the TLS
  // certificate or key cannot be loaded (start-up errors), std::logic_error when called
  // twice. Not thread-safe with itself.
  std::uint16_t start();

  // Blocks until stop() has been called (from any thread) and the io threads have ended.
  // Returns at once if start() was never called. Must not run on an io thread.
  void wait();

  // Stops accepting, closes idle keep-alive connections, lets requests in flight finish and
  // answer (with Connection: close) for up to drain_timeout, then closes what is left and
  // joins the io threads. Thread-safe and idempotent; call it from the main thread or a
  // signal-handling thread (asio::signal_set, sigwait) — it is not async-signal-safe.
  // Called from a handler (an io thread) it only initiates the stop; wait() or the
  // destructor then joins.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace redress::http
