#include "http/server.h"

// clang-format off
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp needs std::exchange (g++ 12)
// clang-format on
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "http/await.h"

namespace redress::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string str(beast::string_view s) {
  return std::string(s.data(), s.size());
}

// A small blocking client; every operation gives up after a few seconds so a broken server
// fails the test instead of hanging it.
class Client {
 public:
  explicit Client(std::uint16_t port) {
    stream_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  boost::system::error_code write_raw(std::string data) {
    stream_.expires_after(5s);
    return run([&](auto done) { asio::async_write(stream_, asio::buffer(data), done); });
  }

  boost::system::error_code send(std::string method, std::string target, std::string body = {},
                                 std::vector<std::pair<std::string, std::string>> headers = {},
                                 unsigned version = 11) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(version);
    req.set(bhttp::field::host, "localhost");
    for (auto& [name, value] : headers) req.set(name, value);
    req.body() = std::move(body);
    if (!req.body().empty() || method == "POST") req.prepare_payload();
    stream_.expires_after(5s);
    return run([&](auto done) { bhttp::async_write(stream_, req, done); });
  }

  // Reads one response; status 0 if none could be read.
  bhttp::response<bhttp::string_body> read() {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(boost::none);
    stream_.expires_after(5s);
    const auto ec = run([&](auto done) { bhttp::async_read(stream_, buffer_, parser, done); });
    if (ec) {
      bhttp::response<bhttp::string_body> none;
      none.result(0);
      return none;
    }
    return parser.release();
  }

  bhttp::response<bhttp::string_body> request(
      std::string method, std::string target, std::string body = {},
      std::vector<std::pair<std::string, std::string>> headers = {}, unsigned version = 11) {
    EXPECT_FALSE(
        send(std::move(method), std::move(target), std::move(body), std::move(headers), version));
    return read();
  }

  // Every byte until the server closes the connection (or 5 s pass: then "TIMEOUT" is
  // appended), including what an earlier read() left in the buffer.
  std::string read_until_close() {
    std::string out(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.consume(buffer_.size());
    std::array<char, 4096> chunk;
    stream_.expires_after(5s);
    for (;;) {
      std::size_t got = 0;
      boost::system::error_code ec;
      stream_.async_read_some(asio::buffer(chunk), [&](boost::system::error_code e, std::size_t n) {
        ec = e;
        got = n;
      });
      ioc_.restart();
      ioc_.run();
      out.append(chunk.data(), got);
      if (ec == asio::error::eof || ec == asio::error::connection_reset) return out;
      if (ec) return out + "TIMEOUT";
    }
  }

  // True when the server closed the connection (end of file within a few seconds).
  bool closed_by_server() {
    char byte;
    stream_.expires_after(3s);
    const auto ec = run([&](auto done) { stream_.async_read_some(asio::buffer(&byte, 1), done); });
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  template <class Start>
  boost::system::error_code run(Start start) {
    boost::system::error_code result;
    start([&result](boost::system::error_code ec, std::size_t) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  asio::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
};

class ServerTest : public ::testing::TestWithParam<unsigned> {
 protected:
  void SetUp() override {
    router_.add("POST", "/echo", [](Request& r) -> asio::awaitable<Response> {
      co_return Response::json(200, r.body);
    });
    router_.add("GET", "/items/:id", [](Request& r) -> asio::awaitable<Response> {
      co_return Response::text(200, std::string(r.path_param("id").value_or("?")) + "|" +
                                        std::string(r.query_param("q").value_or("?")) + "|" +
                                        r.path + "|" + r.remote_address);
    });
    router_.add("GET", "/callback", [this](Request&) -> asio::awaitable<Response> {
      const auto before = std::this_thread::get_id();
      Result<std::string> value = co_await await_callback<Result<std::string>>(
          [this](std::move_only_function<void(Result<std::string>)> callback) {
            std::lock_guard lock(threads_mutex_);
            threads_.emplace_back([callback = std::move(callback)]() mutable {
              std::this_thread::sleep_for(20ms);
              callback(Result<std::string>("from thread"));
            });
          });
      const bool same = std::this_thread::get_id() == before;
      co_return Response::text(200,
                               value.value_or("error") + (same ? " same-thread" : " other-thread"));
    });
    router_.add("GET", "/callback-dropped", [](Request&) -> asio::awaitable<Response> {
      try {
        co_await await_callback<int>([](std::move_only_function<void(int)> callback) {
          std::thread([callback = std::move(callback)] {}).join();  // dropped unused
        });
      } catch (const CallbackDropped&) {
        co_return Response::text(200, "dropped");
      }
      co_return Response::text(200, "called");
    });
    router_.add("GET", "/throw", [](Request&) -> asio::awaitable<Response> {
      throw std::runtime_error("boom");
      co_return Response::text(200, "unreachable");
    });
    router_.add("GET", "/bad-header", [](Request&) -> asio::awaitable<Response> {
      co_return Response::text(200, "x").with_header("X-Evil", "a\r\nSet-Cookie: b=1");
    });
    router_.add(
        "POST", "/small",
        [](Request& r) -> asio::awaitable<Response> { co_return Response::text(200, r.body); },
        RouteOptions{.max_body_bytes = 16});
    router_.add("GET", "/slow", [](Request&) -> asio::awaitable<Response> {
      asio::steady_timer timer(co_await asio::this_coro::executor, 300ms);
      co_await timer.async_wait(asio::use_awaitable);
      co_return Response::text(200, "slow done");
    });
    // ?n=pieces, each "piece <i>\n"; ?fail=k fails instead of producing piece k.
    router_.add("GET", "/stream", [](Request& r) -> asio::awaitable<Response> {
      const int n = std::stoi(std::string(r.query_param("n").value_or("3")));
      const int fail_at = std::stoi(std::string(r.query_param("fail").value_or("-1")));
      auto next = std::make_shared<int>(0);
      co_return Response::stream(
          200, "text/csv",
          [next, n, fail_at]() -> Result<std::optional<std::string>> {
            const int i = (*next)++;
            if (i == fail_at) return fail(Error::internal("the store went away"));
            if (i >= n) return std::optional<std::string>();
            if (i == 1) return std::optional<std::string>("");  // empty pieces are skipped
            return std::optional<std::string>("piece " + std::to_string(i) + "\n");
          })
          .with_header("Content-Disposition", "attachment; filename=\"x.csv\"");
    });
    router_.add("DELETE", "/items/:id", [](Request&) -> asio::awaitable<Response> {
      co_return Response::text(204, "ignored body");
    });

    server_ = std::make_unique<Server>(
        ServerOptions{.port = 0, .threads = GetParam()}, router_,
        [this](int status, std::string_view detail, const Request* request) {
          std::lock_guard lock(errors_mutex_);
          errors_.push_back(
              std::to_string(status) + " " + std::string(detail) +
              (request ? " [" + request->method + " " + request->path + "]" : " [-]"));
          return Response::text(status, "{\"status\":" + std::to_string(status) + "}",
                                "application/problem+json");
        });
    port_ = server_->start();
  }

  void TearDown() override {
    server_->stop();
    std::lock_guard lock(threads_mutex_);
    for (auto& t : threads_) t.join();
  }

  std::vector<std::string> errors() {
    std::lock_guard lock(errors_mutex_);
    return errors_;
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::mutex errors_mutex_;
  std::vector<std::string> errors_;
  std::mutex threads_mutex_;
  std::vector<std::thread> threads_;
};

INSTANTIATE_TEST_SUITE_P(Threads, ServerTest, ::testing::Values(1u, 2u),
                         [](const auto& info) { return std::to_string(info.param) + "threads"; });

TEST_P(ServerTest, EchoesJsonWithContentLength) {
  Client client(port_);
  auto res = client.request("POST", "/echo", R"({"a":1})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(str(res[bhttp::field::content_type]), "application/json");
  EXPECT_EQ(str(res[bhttp::field::content_length]), "7");
  EXPECT_EQ(res.body(), R"({"a":1})");
  EXPECT_TRUE(res.keep_alive());
}

TEST_P(ServerTest, DecodesPathParametersAndQuery) {
  Client client(port_);
  auto res = client.request("GET", "/items/a%2Fb?q=x+y%21&other=1");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "a/b|x y!|/items/a/b|127.0.0.1");
}

TEST_P(ServerTest, AwaitCallbackResumesOnTheConnectionThread) {
  Client client(port_);
  for (int i = 0; i < 3; ++i) {
    auto res = client.request("GET", "/callback");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "from thread same-thread");
  }
  auto res = client.request("GET", "/callback-dropped");
  EXPECT_EQ(res.body(), "dropped");
}

TEST_P(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Client client(port_);
  auto first = client.request("POST", "/echo", "1");
  auto second = client.request("POST", "/echo", "2");
  EXPECT_EQ(first.body(), "1");
  EXPECT_EQ(second.body(), "2");
  EXPECT_TRUE(second.keep_alive());
}

TEST_P(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Client client(port_);
  ASSERT_FALSE(
      client.write_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nA"
                       "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nB"));
  EXPECT_EQ(client.read().body(), "A");
  EXPECT_EQ(client.read().body(), "B");
}

TEST_P(ServerTest, NotFoundAndMethodNotAllowedGoThroughTheErrorResponder) {
  Client client(port_);
  auto missing = client.request("GET", "/nope");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(str(missing[bhttp::field::content_type]), "application/problem+json");
  EXPECT_EQ(missing.body(), R"({"status":404})");

  auto wrong = client.request("PUT", "/items/7");
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(str(wrong[bhttp::field::allow]), "DELETE, GET");
  EXPECT_EQ(wrong.body(), R"({"status":405})");

  // Without a body the connection stays usable.
  EXPECT_EQ(client.request("POST", "/echo", "ok").body(), "ok");
  const auto seen = errors();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].substr(0, 4), "404 ");
  EXPECT_NE(seen[0].find("[GET /nope]"), std::string::npos);
  EXPECT_EQ(seen[1].substr(0, 4), "405 ");
}

TEST_P(ServerTest, NotFoundWithABodyClosesTheConnection) {
  Client client(port_);
  auto res = client.request("POST", "/nope", "some body");
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, ContentLengthOverTheRouteLimitIs413WithoutReadingTheBody) {
  Client client(port_);
  ASSERT_FALSE(client.write_raw(
      "POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nthe start of a big body"));
  auto res = client.read();
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_EQ(res.body(), R"({"status":413})");
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
  ASSERT_EQ(errors().size(), 1u);
  EXPECT_EQ(errors()[0].substr(0, 4), "413 ");
}

TEST_P(ServerTest, ChunkedBodyOverTheRouteLimitIs413) {
  Client client(port_);
  ASSERT_FALSE(
      client.write_raw("POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n"));
  auto res = client.read();
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, BodyAtTheRouteLimitIsAccepted) {
  Client client(port_);
  auto res = client.request("POST", "/small", std::string(16, 'x'));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), std::string(16, 'x'));
  ASSERT_FALSE(
      client.write_raw("POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  EXPECT_EQ(client.read().body(), "abcde");
}

TEST_P(ServerTest, ExpectContinueGetsAnInterimResponse) {
  Client client(port_);
  ASSERT_FALSE(client.write_raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  EXPECT_EQ(client.read().result_int(), 100);
  ASSERT_FALSE(client.write_raw("hello"));
  EXPECT_EQ(client.read().body(), "hello");
}

TEST_P(ServerTest, ThrowingHandlerGives500AndTheConnectionGoesOn) {
  Client client(port_);
  auto res = client.request("GET", "/throw");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(res.body(), R"({"status":500})");
  EXPECT_TRUE(res.keep_alive());
  EXPECT_EQ(client.request("POST", "/echo", "still here").body(), "still here");
  ASSERT_EQ(errors().size(), 1u);
  EXPECT_EQ(errors()[0], "500 boom [GET /throw]");
}

TEST_P(ServerTest, InvalidResponseHeaderBecomes500) {
  Client client(port_);
  auto res = client.request("GET", "/bad-header");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(res.count("Set-Cookie"), 0u);
  EXPECT_EQ(client.request("POST", "/echo", "next").body(), "next");
}

TEST_P(ServerTest, NoContentHasNoBodyAndNoContentLength) {
  Client client(port_);
  auto res = client.request("DELETE", "/items/3");
  EXPECT_EQ(res.result_int(), 204);
  EXPECT_EQ(res.count(bhttp::field::content_length), 0u);
  EXPECT_EQ(res.body(), "");
  EXPECT_EQ(client.request("POST", "/echo", "after").body(), "after");
}

TEST_P(ServerTest, MalformedRequestIs400AndCloses) {
  Client client(port_);
  ASSERT_FALSE(client.write_raw("THIS IS NOT HTTP\r\n\r\n"));
  auto res = client.read();
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_TRUE(client.closed_by_server());
  ASSERT_EQ(errors().size(), 1u);
  EXPECT_EQ(errors()[0].substr(0, 4), "400 ");
  EXPECT_EQ(errors()[0].substr(errors()[0].size() - 4), " [-]");
}

TEST_P(ServerTest, BadEscapeInQueryIs400) {
  Client client(port_);
  auto res = client.request("GET", "/items/1?q=%zz");
  EXPECT_EQ(res.result_int(), 400);
  ASSERT_EQ(errors().size(), 1u);
  EXPECT_EQ(errors()[0], "400 q: malformed percent-escape [GET /items/1?q=%zz]");
}

TEST_P(ServerTest, OversizedHeadIs431) {
  Client client(port_);
  auto res = client.request("GET", "/items/1", {}, {{"X-Big", std::string(20000, 'a')}});
  EXPECT_EQ(res.result_int(), 431);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, Http10AndConnectionCloseEndTheConnection) {
  {
    Client client(port_);
    auto res = client.request("POST", "/echo", "old", {}, 10);
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.version(), 10u);
    EXPECT_EQ(res.body(), "old");
    EXPECT_TRUE(client.closed_by_server());
  }
  {
    Client client(port_);
    auto res = client.request("POST", "/echo", "bye", {{"Connection", "close"}});
    EXPECT_EQ(res.body(), "bye");
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(client.closed_by_server());
  }
  {
    Client client(port_);
    auto res = client.request("POST", "/echo", "stay", {{"Connection", "keep-alive"}}, 10);
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(client.request("POST", "/echo", "again", {{"Connection", "keep-alive"}}, 10).body(),
              "again");
  }
}

std::string expected_pieces(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i != 1) out += "piece " + std::to_string(i) + "\n";
  }
  return out;
}

TEST_P(ServerTest, StreamedBodyIsChunkedAndTheConnectionStaysUsable) {
  Client client(port_);
  auto res = client.request("GET", "/stream?n=2000");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_TRUE(res.chunked());
  EXPECT_EQ(str(res[bhttp::field::content_length]), "");
  EXPECT_EQ(str(res[bhttp::field::content_type]), "text/csv");
  EXPECT_EQ(str(res[bhttp::field::content_disposition]), "attachment; filename=\"x.csv\"");
  EXPECT_EQ(res.body(), expected_pieces(2000));
  EXPECT_TRUE(res.keep_alive());
  EXPECT_EQ(client.request("POST", "/echo", "next").body(), "next");
}

TEST_P(ServerTest, StreamedBodyOnHttp10EndsWithTheConnection) {
  Client client(port_);
  auto res = client.request("GET", "/stream?n=5", {}, {{"Connection", "keep-alive"}}, 10);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_FALSE(res.chunked());
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(res.body(), expected_pieces(5));
}

TEST_P(ServerTest, AFailingProducerCutsTheConnectionWithoutTheLastChunk) {
  Client client(port_);
  ASSERT_FALSE(client.send("GET", "/stream?n=10&fail=4"));
  const std::string raw = client.read_until_close();
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 200 OK\r\n")) << raw;
  EXPECT_NE(raw.find("Transfer-Encoding: chunked"), std::string::npos) << raw;
  EXPECT_NE(raw.find("piece 3\n"), std::string::npos) << raw;  // what was produced went out
  EXPECT_FALSE(raw.ends_with("TIMEOUT")) << raw;               // and the server closed
  EXPECT_FALSE(raw.ends_with("0\r\n\r\n")) << raw;             // without the last chunk
}

TEST_P(ServerTest, ManyConcurrentConnections) {
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&, i] {
      Client client(port_);
      for (int k = 0; k < 20; ++k) {
        const std::string body = std::to_string(i) + ":" + std::to_string(k);
        if (client.request("POST", "/echo", body).body() == body) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 160);
}

TEST_P(ServerTest, StopReturnsPromptlyWithAnIdleConnection) {
  Client client(port_);
  EXPECT_EQ(client.request("POST", "/echo", "x").result_int(), 200);
  const auto start = Clock::now();
  server_->stop();
  EXPECT_LT(Clock::now() - start, 1s);
  EXPECT_TRUE(client.closed_by_server());
  server_->stop();  // idempotent
  server_->wait();  // returns at once after stop
}

TEST_P(ServerTest, StopLetsARequestInFlightFinish) {
  std::string body;
  bool keep_alive = true;
  std::thread request([&] {
    Client client(port_);
    auto res = client.request("GET", "/slow");
    body = res.body();
    keep_alive = res.keep_alive();
  });
  std::this_thread::sleep_for(100ms);
  const auto start = Clock::now();
  std::thread stopper([&] { server_->stop(); });
  server_->wait();
  const auto took = Clock::now() - start;
  stopper.join();
  request.join();
  EXPECT_EQ(body, "slow done");
  EXPECT_FALSE(keep_alive);
  EXPECT_GE(took, 100ms);
  EXPECT_LT(took, 2s);
  EXPECT_THROW(Client{port_}, boost::system::system_error);  // no longer listening
}

TEST_P(ServerTest, ConflictingBodyLengthsAre400AndClose) {
  for (const char* head : {
           "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: "
           "chunked\r\n\r\n",
           "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: "
           "3\r\n\r\n",
           "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
       }) {
    Client client(port_);
    ASSERT_FALSE(client.write_raw(std::string(head) + "abc"));
    EXPECT_EQ(client.read().result_int(), 400) << head;
    EXPECT_TRUE(client.closed_by_server()) << head;
  }
}

TEST(Server, StopClosesRequestsThatOutlastTheDrainTimeout) {
  Router router;
  router.add("GET", "/forever", [](Request&) -> asio::awaitable<Response> {
    asio::steady_timer timer(co_await asio::this_coro::executor, 30s);
    co_await timer.async_wait(asio::use_awaitable);
    co_return Response::text(200, "too late");
  });
  std::mutex mutex;
  std::vector<std::thread> threads;
  router.add("GET", "/late-callback", [&](Request&) -> asio::awaitable<Response> {
    co_await await_callback<int>([&](std::move_only_function<void(int)> callback) {
      std::lock_guard lock(mutex);
      threads.emplace_back([callback = std::move(callback)]() mutable {
        std::this_thread::sleep_for(1500ms);
        callback(1);  // after the server stopped: queued on a stopped io_context, never run
      });
    });
    co_return Response::text(200, "too late");
  });
  {
    Server server(ServerOptions{.port = 0, .threads = 2, .drain_timeout = 1s}, router, nullptr);
    const auto port = server.start();
    int forever_status = -1;
    int callback_status = -1;
    std::thread a([&] { forever_status = Client(port).request("GET", "/forever").result_int(); });
    std::thread b(
        [&] { callback_status = Client(port).request("GET", "/late-callback").result_int(); });
    std::this_thread::sleep_for(200ms);
    const auto start = Clock::now();
    server.stop();
    const auto took = Clock::now() - start;
    a.join();
    b.join();
    EXPECT_GE(took, 900ms);
    EXPECT_LT(took, 2s);
    EXPECT_EQ(forever_status, 0);  // closed without an answer
    EXPECT_EQ(callback_status, 0);
    std::lock_guard lock(mutex);
    for (auto& t : threads) t.join();  // the callback fires while the Server still exists
  }
}

TEST(Server, StartThrowsWhenThePortIsTaken) {
  asio::io_context ioc;
  tcp::acceptor taken(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  Router router;
  Server server(ServerOptions{.port = taken.local_endpoint().port(), .threads = 2}, router,
                nullptr);
  EXPECT_THROW(server.start(), std::system_error);
}

TEST(Server, StartThrowsOnAnUnresolvableHost) {
  Router router;
  Server server(ServerOptions{.host = "no-such-host.invalid", .port = 0}, router, nullptr);
  EXPECT_THROW(server.start(), std::system_error);
}

TEST(Server, StopFromAHandlerDoesNotDeadlock) {
  Router router;
  Server* self = nullptr;
  router.add("POST", "/shutdown", [&self](Request&) -> asio::awaitable<Response> {
    self->stop();
    co_return Response::text(202, "stopping");
  });
  Server server(ServerOptions{.port = 0, .threads = 2}, router, nullptr);
  self = &server;
  const auto port = server.start();
  Client client(port);
  const auto start = Clock::now();
  EXPECT_EQ(client.request("POST", "/shutdown").result_int(), 202);
  server.wait();
  EXPECT_LT(Clock::now() - start, 1s);  // the now idle connection did not hold the drain
  EXPECT_TRUE(client.closed_by_server());
}

}  // namespace
}  // namespace redress::http
