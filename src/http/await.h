// Bridges callback-style asynchronous work that completes on ANOTHER thread (the store's
// writer thread, a worker pool) into a coroutine running on an io thread.
#pragma once

// clang-format off
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp needs std::exchange (g++ 12)
// clang-format on
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

namespace redress::http {

// Thrown into the awaiting coroutine when the callback is destroyed without being called.
class CallbackDropped : public std::runtime_error {
 public:
  CallbackDropped()
      : std::runtime_error("await_callback: the callback was destroyed without being called") {}
};

namespace detail {

// Shared by the initiation and the callback handed to `start`. Completes the coroutine
// exactly once: with the value, with the exception `start` threw, or with CallbackDropped
// when the last callback copy disappears unused.
template <class T, class Handler>
class CallbackState {
 public:
  explicit CallbackState(Handler handler)
      : handler_(std::move(handler)),
        work_(boost::asio::prefer(boost::asio::get_associated_executor(handler_),
                                  boost::asio::execution::outstanding_work.tracked)) {}
  CallbackState(const CallbackState&) = delete;
  CallbackState& operator=(const CallbackState&) = delete;
  ~CallbackState() {
    if (!done_.load()) complete(std::make_exception_ptr(CallbackDropped()), std::nullopt);
  }

  // Posts the handler to its own executor; later calls are ignored. Any thread.
  void complete(std::exception_ptr error, std::optional<T> value) {
    if (done_.exchange(true)) return;
    auto executor = std::move(work_);  // keeps the io_context alive until the post is queued
    boost::asio::post(executor,
                      [handler = std::move(handler_), error, value = std::move(value)]() mutable {
                        std::move(handler)(error, std::move(value));
                      });
  }

 private:
  Handler handler_;
  boost::asio::any_io_executor work_;  // outstanding work: the io_context keeps running
  std::atomic<bool> done_{false};
};

template <class T>
struct InitiateCallback {
  template <class Handler>
  void operator()(Handler handler,
                  std::move_only_function<void(std::move_only_function<void(T)>)> start) const {
    auto state = std::make_shared<CallbackState<T, Handler>>(std::move(handler));
    try {
      start([state](T value) { state->complete(nullptr, std::optional<T>(std::move(value))); });
    } catch (...) {
      state->complete(std::current_exception(), std::nullopt);
    }
  }
};

}  // namespace detail

// Calls `start(callback)` and suspends the calling coroutine until `callback(value)` is
// called — from any thread, at most once (later calls are ignored) — then resumes the
// coroutine on its own executor (its io thread) with the value. While suspended, the
// io_context counts the wait as outstanding work, so a draining server waits for it.
//
// Failure: if `start` throws, that exception is rethrown in the coroutine; if every copy of
// the callback is destroyed without being called, CallbackDropped is thrown. Expected
// failures belong in T (e.g. Result<std::string>), not in exceptions.
//
// Lifetime: whoever holds the callback must call or drop it before the Server (and its
// io_contexts) is destroyed — stop the store's writer after the server, not before.
// `start` runs on the coroutine's thread and should only hand the callback over.
template <class T>
boost::asio::awaitable<T> await_callback(
    std::move_only_function<void(std::move_only_function<void(T)>)> start) {
  std::optional<T> value =
      co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                           void(std::exception_ptr, std::optional<T>)>(
          detail::InitiateCallback<T>{}, boost::asio::use_awaitable, std::move(start));
  co_return std::move(*value);
}

}  // namespace redress::http
