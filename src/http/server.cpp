#include "http/server.h"

// clang-format off
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp needs std::exchange (g++ 12)
// clang-format on
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <condition_variable>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

namespace redress::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// After an error response on a connection whose input was not fully read, read and drop
// what the client is still sending for a moment before closing: closing a socket with
// unread data sends a reset, and the client may lose the response.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kLingerBytes = 1 << 20;
// How long a TLS handshake, and the close_notify exchange at the end, may take.
constexpr auto kTlsHandshakeTime = std::chrono::seconds(10);
constexpr auto kTlsShutdownTime = std::chrono::seconds(1);
// Pause after a failed accept (e.g. out of file descriptors) so the loop does not spin.
constexpr auto kAcceptBackoff = std::chrono::milliseconds(50);

std::string_view view(beast::string_view s) {
  return {s.data(), s.size()};
}

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool valid_header(std::string_view name, std::string_view value) {
  return !name.empty() && std::all_of(name.begin(), name.end(), is_token_char) &&
         value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Does a Connection header value list the token `close`?
bool lists_close(std::string_view value) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    std::string_view token = value.substr(0, comma);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
      token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (iequals(token, "close")) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

struct Target {
  std::string raw_path;
  std::string path;
  Fields query;
};

// Splits an origin-form ("/a?b") or absolute-form ("http://host/a?b") request target.
Result<Target> parse_target(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() >= scheme.size() && iequals(target.substr(0, scheme.size()), scheme)) {
      target.remove_prefix(scheme.size());
      const std::size_t slash = target.find_first_of("/?");
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      if (target.front() == '?') return fail(Error::invalid("path", "is missing"));
    }
  }
  if (target.empty() || target.front() != '/') {
    return fail(Error::invalid("path", "must start with '/'"));
  }
  target = target.substr(0, target.find('#'));
  const std::size_t question = target.find('?');
  Target out;
  out.raw_path = std::string(target.substr(0, question));
  REDRESS_TRY(out.path, percent_decode(out.raw_path, PlusIs::literal, "path"));
  if (question != std::string_view::npos) {
    REDRESS_TRY(out.query, parse_query(target.substr(question + 1)));
  }
  return out;
}

// Fills the head of `msg` from `response`; returns why it cannot be sent, if it cannot.
template <class Body>
std::optional<std::string> to_head(const Response& response, unsigned version, bool keep_alive,
                                   const Fields& defaults, bhttp::response<Body>& msg) {
  if (response.status < 200 || response.status > 599) {
    return "the handler returned the invalid status " + std::to_string(response.status);
  }
  msg = {};
  msg.version(version);
  msg.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) {
    if (!valid_header(name, value)) return "the handler returned an invalid header " + name;
    if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
        iequals(name, "Connection")) {
      continue;
    }
    msg.insert(beast::string_view(name.data(), name.size()),
               beast::string_view(value.data(), value.size()));
  }
  for (const auto& [name, value] : defaults) {
    if (!response.header(name)) {
      msg.insert(beast::string_view(name.data(), name.size()),
                 beast::string_view(value.data(), value.size()));
    }
  }
  msg.keep_alive(keep_alive);
  return std::nullopt;
}

// Fills `msg` from `response`; returns why it cannot be sent, if it cannot.
std::optional<std::string> to_message(Response& response, unsigned version, bool keep_alive,
                                      const Fields& defaults,
                                      bhttp::response<bhttp::string_body>& msg) {
  msg = {};
  if (auto problem = to_head(response, version, keep_alive, defaults, msg)) return problem;
  if (response.status != 204 && response.status != 304) {  // these never carry a body
    msg.body() = std::move(response.body);
    msg.prepare_payload();
  }
  return std::nullopt;
}

// The next piece of a streamed body: a piece, nullopt at the end, or an error (the producer
// failed or threw) that cuts the connection.
Result<std::optional<std::string>> next_piece(const BodyProducer& producer) {
  try {
    return producer();
  } catch (const std::exception& e) {
    return fail(Error::internal(e.what()));
  } catch (...) {
    return fail(Error::internal("a non-standard exception"));
  }
}

// A live connection, as the drain logic sees it. Owned by the session coroutine's frame.
struct Connection {
  beast::tcp_stream* stream = nullptr;
  bool idle = false;  // waiting for the head of the next request: safe to close at stop()
};

struct Worker {
  // Declared first so it outlives the io_context: frames destroyed with the io_context
  // deregister from it.
  std::list<Connection*> connections;
  bool stopping = false;
  std::unique_ptr<asio::io_context> ioc = std::make_unique<asio::io_context>(1);
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> drain_timer;
  std::thread thread;

  Worker() { guard.emplace(ioc->get_executor()); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker() {
    // Everything bound to the io_context goes before it; then its pending handlers and
    // coroutine frames are destroyed while `connections` still exists.
    drain_timer.reset();
    acceptor.reset();
    guard.reset();
    ioc.reset();
  }
};

// Keeps a session listed in its worker while it runs; ends the drain when the last goes.
class Registration {
 public:
  Registration(Worker& worker, Connection& connection)
      : worker_(worker), it_(worker.connections.insert(worker.connections.end(), &connection)) {}
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  ~Registration() {
    worker_.connections.erase(it_);
    if (worker_.stopping && worker_.connections.empty() && worker_.drain_timer) {
      worker_.drain_timer->cancel();
    }
  }

 private:
  Worker& worker_;
  std::list<Connection*>::iterator it_;
};

tcp::endpoint resolve(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) return {address, port};
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(
      host, std::to_string(port), tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) throw std::system_error(ec, "cannot resolve " + host);
  if (results.empty()) {
    throw std::system_error(std::make_error_code(std::errc::address_not_available),
                            "cannot resolve " + host);
  }
  return results.begin()->endpoint();
}

// Opens, binds and listens; with `reuse_port`, sets SO_REUSEPORT first.
boost::system::error_code listen_on(tcp::acceptor& acceptor, const tcp::endpoint& endpoint,
                                    bool reuse_port) {
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && reuse_port) acceptor.set_option(ReusePort(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
  }
  return ec;
}

// The server side of TLS: TLS 1.2 or later, the certificate chain and key from PEM files.
std::unique_ptr<asio::ssl::context> make_tls_context(const ServerOptions& options) {
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  // The key first: OpenSSL then drops a key that does not match the certificate loaded
  // after it, and the check below can say so in words (the other order says "key values
  // mismatch").
  context->use_private_key_file(options.tls_private_key_file, asio::ssl::context::pem, ec);
  if (ec) {
    throw std::system_error(ec, "cannot load the TLS private key " + options.tls_private_key_file);
  }
  context->use_certificate_chain_file(options.tls_certificate_file, ec);
  if (ec) {
    throw std::system_error(
        ec, "cannot load the TLS certificate chain " + options.tls_certificate_file);
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "the TLS private key " + options.tls_private_key_file +
                                " does not belong to the certificate " +
                                options.tls_certificate_file);
  }
  return context;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  ErrorResponder on_error;

  std::unique_ptr<asio::ssl::context> tls;  // set by start() when TLS files are configured
  std::vector<std::unique_ptr<Worker>> workers;
  bool shared_acceptor = false;  // one acceptor (on workers[0]) hands out connections
  std::size_t next_worker = 0;   // round-robin for the shared acceptor; workers[0]'s thread
  std::vector<std::thread::id> thread_ids;  // written by start(), then only read

  std::mutex mutex;
  std::condition_variable stop_requested_cv;
  bool started = false;
  bool stop_requested = false;
  std::mutex join_mutex;
  bool joined = false;

  Impl(ServerOptions o, const Router& r, ErrorResponder e)
      : options(std::move(o)), router(r), on_error(std::move(e)) {}

  Response error_response(int status, std::string_view detail, const Request* request) {
    if (on_error) {
      try {
        return on_error(status, detail, request);
      } catch (...) {  // fall through to the plain answer
      }
    }
    return Response::text(
        status, std::string(view(bhttp::obsolete_reason(static_cast<bhttp::status>(status)))));
  }

  bool on_io_thread() const {
    return std::find(thread_ids.begin(), thread_ids.end(), std::this_thread::get_id()) !=
           thread_ids.end();
  }

  void join() {
    std::lock_guard lock(join_mutex);
    if (joined) return;
    for (auto& w : workers) {
      if (w->thread.joinable()) w->thread.join();
    }
    joined = true;
  }

  static void run(Worker& w) {
    for (;;) {
      try {
        w.ioc->run();
        return;
      } catch (...) {
        // A completion handler outside any session threw; keep serving the others.
      }
    }
  }

  // Runs on w's thread.
  void begin_drain(Worker& w) {
    w.stopping = true;
    boost::system::error_code ignored;
    if (w.acceptor) w.acceptor->close(ignored);
    for (Connection* c : w.connections) {
      if (c->idle && c->stream) c->stream->close();
    }
    w.guard.reset();
    if (w.connections.empty()) return;
    w.drain_timer.emplace(*w.ioc, options.drain_timeout);
    w.drain_timer->async_wait([&w](boost::system::error_code ec) {
      if (ec) return;  // cancelled: every connection finished in time
      for (Connection* c : w.connections) {
        if (c->stream) c->stream->close();
      }
      // Sessions still waiting on other threads (await_callback) would keep the io_context
      // alive; give up on them.
      w.ioc->stop();
    });
  }

  asio::awaitable<void> accept_loop(Worker& w) {
    for (;;) {
      Worker& target = shared_acceptor ? *workers[next_worker++ % workers.size()] : w;
      boost::system::error_code ec;
      tcp::socket socket =
          co_await w.acceptor->async_accept(asio::any_io_executor(target.ioc->get_executor()),
                                            asio::redirect_error(asio::use_awaitable, ec));
      if (w.stopping || !w.acceptor->is_open()) co_return;
      if (ec) {
        asio::steady_timer pause(*w.ioc, kAcceptBackoff);
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      asio::co_spawn(*target.ioc, session(target, std::move(socket)), asio::detached);
    }
  }

  // Writes `response` and, when `close`, shuts the connection down (draining unread input
  // first if `linger`). Returns false when the connection is finished.
  template <class Stream>
  asio::awaitable<bool> respond(Worker& w, Stream& stream, Response response,
                                const Request* request, unsigned version, bool close, bool linger) {
    beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
    if (auto connection = response.header("Connection"); connection && lists_close(*connection)) {
      close = true;
    }
    close = close || w.stopping;
    if (response.producer && response.status != 204 && response.status != 304) {
      // HTTP/1.0 has no chunked encoding: the end of the connection ends the body.
      if (version < 11) close = true;
      bhttp::response<bhttp::buffer_body> head;
      auto problem = to_head(response, version, !close, options.default_headers, head);
      if (!problem) {
        const bool keep = co_await stream_body(w, stream, head, response.producer, version, close);
        co_return keep;
      }
      response = error_response(500, *problem, request);  // no body streamed: a plain 500
    }
    bhttp::response<bhttp::string_body> msg;
    const Fields& defaults = options.default_headers;
    if (auto problem = to_message(response, version, !close, defaults, msg)) {
      Response fallback = error_response(500, *problem, request);
      if (to_message(fallback, version, !close, defaults, msg)) {
        Response plain = Response::text(500, "Internal Server Error");
        to_message(plain, version, !close, defaults, msg);
      }
    }
    boost::system::error_code ec;
    tcp.expires_after(options.idle_timeout);
    co_await bhttp::async_write(stream, msg, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
    if (!close) co_return true;

    if constexpr (std::is_same_v<Stream, TlsStream>) {
      // close_notify, so the client can tell the end of the answer from a cut connection.
      tcp.expires_after(kTlsShutdownTime);
      co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    }
    tcp.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (linger && !w.stopping) {
      // Raw bytes, also under TLS: they are dropped unread.
      std::array<char, 8192> scratch;
      std::size_t total = 0;
      tcp.expires_after(kLingerTime);
      while (total < kLingerBytes) {
        const std::size_t n = co_await tcp.async_read_some(
            asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        total += n;
      }
    }
    tcp.close();
    co_return false;
  }

  // Writes the head in `msg`, then the pieces `producer` makes, one at a time (chunked on
  // HTTP/1.1). Returns false when the connection is finished: after `close`, on a write
  // error, or when the producer failed — then the connection is cut without the last chunk.
  template <class Stream>
  asio::awaitable<bool> stream_body(Worker& w, Stream& stream,
                                    bhttp::response<bhttp::buffer_body>& msg,
                                    const BodyProducer& producer, unsigned version, bool close) {
    beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
    if (version >= 11) msg.chunked(true);
    msg.body().data = nullptr;
    msg.body().more = true;
    bhttp::response_serializer<bhttp::buffer_body> serializer(msg);
    boost::system::error_code ec;
    tcp.expires_after(options.idle_timeout);
    co_await bhttp::async_write_header(stream, serializer,
                                       asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
    for (;;) {
      auto piece = next_piece(producer);
      if (!piece) {
        tcp.close();  // no terminating chunk: the client knows the body is incomplete
        co_return false;
      }
      if (*piece && (*piece)->empty()) continue;
      msg.body().data = *piece ? (*piece)->data() : nullptr;
      msg.body().size = *piece ? (*piece)->size() : 0;
      msg.body().more = piece->has_value();
      tcp.expires_after(options.idle_timeout);
      co_await bhttp::async_write(stream, serializer,
                                  asio::redirect_error(asio::use_awaitable, ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return false;
      if (!*piece) break;
    }
    if (!close && !w.stopping) co_return true;
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      tcp.expires_after(kTlsShutdownTime);
      co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    }
    tcp.socket().shutdown(tcp::socket::shutdown_send, ec);
    tcp.close();
    co_return false;
  }

  asio::awaitable<void> session(Worker& w, tcp::socket socket) {
    Connection connection;
    Registration registration(w, connection);
    if (w.stopping) co_return;

    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    std::string remote_address;
    if (const auto peer = socket.remote_endpoint(ec); !ec) {
      auto address = peer.address();
      if (address.is_v6() && address.to_v6().is_v4_mapped()) {  // a dual-stack "::" listener
        address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
      }
      remote_address = address.to_string();
    }
    if (!tls) {
      beast::tcp_stream stream(std::move(socket));
      connection.stream = &stream;
      co_await serve_requests(w, connection, stream, remote_address);
      co_return;
    }
    TlsStream stream(std::move(socket), *tls);
    connection.stream = &beast::get_lowest_layer(stream);
    beast::get_lowest_layer(stream).expires_after(kTlsHandshakeTime);
    co_await stream.async_handshake(asio::ssl::stream_base::server,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // not TLS, a refused version, or too slow: nobody to answer
    co_await serve_requests(w, connection, stream, remote_address);
  }

  // The request loop of one connection, over plain TCP or TLS.
  template <class Stream>
  asio::awaitable<void> serve_requests(Worker& w, Connection& connection, Stream& stream,
                                       const std::string& remote_address) {
    beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
    boost::system::error_code ec;
    beast::flat_buffer buffer;

    while (!w.stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(
          static_cast<std::uint32_t>(std::min<std::size_t>(options.max_header_bytes, UINT32_MAX)));
      // Not boost::none: Beast 1.74 then rejects every Content-Length as over the limit.
      // The route's own limit is set once the route is known.
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());

      tcp.expires_after(options.idle_timeout);
      connection.idle = true;
      co_await bhttp::async_read_header(stream, buffer, parser,
                                        asio::redirect_error(asio::use_awaitable, ec));
      connection.idle = false;
      if (ec) {
        if (ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category() ||
            ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
            w.stopping) {
          co_return;  // closed, timed out, or cut off: nobody to answer
        }
        const bool too_big = ec == bhttp::error::header_limit;
        Response response =
            too_big
                ? error_response(431, "the request head is larger than the server accepts", nullptr)
                : error_response(400, "malformed HTTP request: " + ec.message(), nullptr);
        co_await respond(w, stream, std::move(response), nullptr, 11, true, true);
        co_return;
      }

      auto& head = parser.get();
      const unsigned version = head.version();
      const bool keep_alive = head.keep_alive();
      Request request;
      request.method = std::string(view(head.method_string()));
      request.remote_address = remote_address;
      for (const auto& field : head) {
        request.headers.emplace_back(std::string(view(field.name_string())),
                                     std::string(view(field.value())));
      }

      // An error answered before the handler runs, and whether the connection must close.
      std::optional<Response> early;
      bool must_close = false;
      const Route* route = nullptr;
      if (auto target = parse_target(view(head.target())); !target) {
        request.raw_path = request.path = std::string(view(head.target()));
        early = error_response(400, target.error().message, &request);
        must_close = true;
      } else {
        request.raw_path = std::move(target->raw_path);
        request.path = std::move(target->path);
        request.query = std::move(target->query);
        auto match = router.match(request.method, request.raw_path);
        if (auto* found = std::get_if<Router::Match>(&match)) {
          route = found->route;
          request.path_params = std::move(found->params);
          const std::size_t limit = route->options.max_body_bytes;
          if (const auto length = parser.content_length(); length && *length > limit) {
            early = error_response(
                413, "the request body is larger than " + std::to_string(limit) + " bytes",
                &request);
            must_close = true;
          } else {
            parser.body_limit(limit);
          }
        } else if (std::get<Router::Miss>(match) == Router::Miss::not_found) {
          early = error_response(404, "nothing is served at " + request.path, &request);
        } else {
          early =
              error_response(405, request.method + " is not allowed on " + request.path, &request);
          std::string allow;
          for (const auto& method : router.allowed_methods(request.raw_path)) {
            allow += (allow.empty() ? "" : ", ") + method;
          }
          early->with_header("Allow", std::move(allow));
        }
      }

      if (!early && !parser.is_done()) {
        const auto expect = head[bhttp::field::expect];
        if (version >= 11 && iequals(view(expect), "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          tcp.expires_after(options.idle_timeout);
          co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                                     asio::redirect_error(asio::use_awaitable, ec));
          if (ec) co_return;
        }
        tcp.expires_after(options.idle_timeout);
        co_await bhttp::async_read(stream, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec == bhttp::error::body_limit) {
          early = error_response(413,
                                 "the request body is larger than " +
                                     std::to_string(route->options.max_body_bytes) + " bytes",
                                 &request);
          must_close = true;
        } else if (ec &&
                   ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                   ec != bhttp::error::partial_message && ec != bhttp::error::end_of_stream) {
          early = error_response(400, "malformed request body: " + ec.message(), &request);
          must_close = true;
        } else if (ec) {
          co_return;
        }
      }
      // An unread body is still on the wire: answer, then close.
      const bool unread_body = !parser.is_done();
      must_close = must_close || unread_body;

      Response response;
      if (early) {
        response = std::move(*early);
      } else {
        request.body = std::move(parser.get().body());
        std::string failure;
        bool failed = false;
        try {
          response = co_await route->handler(request);
        } catch (const std::exception& e) {
          failed = true;
          failure = e.what();
        } catch (...) {
          failed = true;
          failure = "a non-standard exception";
        }
        if (failed) response = error_response(500, failure, &request);
      }
      const bool keep = co_await respond(w, stream, std::move(response), &request, version,
                                         must_close || !keep_alive, unread_body);
      if (!keep) co_return;
    }
  }
};

Server::Server(ServerOptions options, const Router& router, ErrorResponder on_error)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(on_error))) {}

Server::~Server() {
  stop();
  impl_->join();
}

std::uint16_t Server::start() {
  std::unique_lock lock(impl_->mutex);
  if (impl_->started) throw std::logic_error("Server::start called twice");
  Impl& impl = *impl_;

  if (!impl.options.tls_certificate_file.empty() || !impl.options.tls_private_key_file.empty()) {
    impl.tls = make_tls_context(impl.options);
  }
  tcp::endpoint endpoint = resolve(impl.options.host, impl.options.port);
  const unsigned count = std::max(1u, impl.options.threads);
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < count; ++i) workers.push_back(std::make_unique<Worker>());

  workers[0]->acceptor.emplace(*workers[0]->ioc);
  if (auto ec = listen_on(*workers[0]->acceptor, endpoint, count > 1)) {
    // Some systems refuse SO_REUSEPORT; bind once without it before giving up.
    if (count == 1 || listen_on(*workers[0]->acceptor, endpoint, false)) {
      throw std::system_error(
          ec, "cannot listen on " + impl.options.host + ":" + std::to_string(impl.options.port));
    }
    impl.shared_acceptor = true;
  }
  endpoint.port(workers[0]->acceptor->local_endpoint().port());
  for (unsigned i = 1; i < count && !impl.shared_acceptor; ++i) {
    workers[i]->acceptor.emplace(*workers[i]->ioc);
    if (listen_on(*workers[i]->acceptor, endpoint, true)) {
      for (unsigned k = 1; k <= i; ++k) workers[k]->acceptor.reset();
      impl.shared_acceptor = true;
    }
  }

  impl.workers = std::move(workers);
  for (auto& w : impl.workers) {
    if (w->acceptor) asio::co_spawn(*w->ioc, impl.accept_loop(*w), asio::detached);
  }
  try {
    for (auto& w : impl.workers) {
      w->thread = std::thread([&impl, &w = *w] {
        { std::lock_guard wait_for_start(impl.mutex); }  // thread_ids is complete after this
        Impl::run(w);
      });
      impl.thread_ids.push_back(w->thread.get_id());
    }
  } catch (...) {  // out of threads: undo, so the destructor does not wait forever
    for (auto& w : impl.workers) w->ioc->stop();
    lock.unlock();
    for (auto& w : impl.workers) {
      if (w->thread.joinable()) w->thread.join();
    }
    impl.workers.clear();
    impl.thread_ids.clear();
    throw;
  }
  impl.started = true;
  return endpoint.port();
}

void Server::wait() {
  {
    std::unique_lock lock(impl_->mutex);
    if (!impl_->started) return;
    impl_->stop_requested_cv.wait(lock, [&] { return impl_->stop_requested; });
  }
  impl_->join();
}

void Server::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->started) return;
    if (!impl_->stop_requested) {
      impl_->stop_requested = true;
      for (auto& w : impl_->workers) {
        asio::post(*w->ioc, [impl = impl_.get(), worker = w.get()] { impl->begin_drain(*worker); });
      }
    }
  }
  impl_->stop_requested_cv.notify_all();
  if (impl_->on_io_thread()) return;  // wait() or the destructor joins
  impl_->join();
}

}  // namespace redress::http
