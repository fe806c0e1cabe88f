// Task<T>: a lazily started coroutine that returns a T (or throws), for handlers that wait for
// something without holding a thread: a group commit, a password hash on its own pool.
//
//   Task<Response> create(RequestContext& ctx) {
//       auto id = co_await ctx.write([&](store::Tx& tx) { return insert(tx, ...); });
//       co_return Response::json(201, ...);
//   }
//
// A Task starts when it is awaited (or handed to spawn()), and resumes its awaiter when it
// finishes, on whatever thread finished it. Written here rather than taken from Asio so that the
// areas' handlers do not include Asio (its headers are kept inside http/server.cpp).
#pragma once

#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <utility>

namespace clientele {

template <class T>
class Task {
  public:
    struct promise_type {
        std::optional<T> value;
        std::exception_ptr error;
        std::coroutine_handle<> continuation;

        Task get_return_object() {
            return Task(std::coroutine_handle<promise_type>::from_promise(*this));
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        auto final_suspend() noexcept {
            struct ResumeAwaiter {
                bool await_ready() noexcept { return false; }
                std::coroutine_handle<> await_suspend(
                    std::coroutine_handle<promise_type> self) noexcept {
                    auto next = self.promise().continuation;
                    return next ? next : std::noop_coroutine();
                }
                void await_resume() noexcept {}
            };
            return ResumeAwaiter{};
        }
        template <class U>
        void return_value(U&& v) {
            value.emplace(std::forward<U>(v));
        }
        void unhandled_exception() { error = std::current_exception(); }
    };

    Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    Task& operator=(Task&&) = delete;
    ~Task() {
        if (handle_)
            handle_.destroy();
    }

    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) noexcept {
        handle_.promise().continuation = awaiter;
        return handle_;  // symmetric transfer: start this task now
    }
    T await_resume() {
        auto& promise = handle_.promise();
        if (promise.error)
            std::rethrow_exception(promise.error);
        return std::move(*promise.value);
    }

  private:
    explicit Task(std::coroutine_handle<promise_type> handle) : handle_(handle) {}
    std::coroutine_handle<promise_type> handle_;
};

namespace detail {
// An eagerly started coroutine that frees itself at the end: the root of a spawn().
struct Detached {
    struct promise_type {
        Detached get_return_object() noexcept { return {}; }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_never final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); }
    };
};
}  // namespace detail

//! Runs `task` to its end and hands its result to `done` (exactly once, on the thread that
//! finishes the task). `task` must not throw past its own catch blocks: a thrown exception is
//! passed to `done` as the exception_ptr, with an empty value.
template <class T, class Done>
detail::Detached spawn(Task<T> task, Done done) {
    std::optional<T> value;
    std::exception_ptr error;
    try {
        value.emplace(co_await task);
    } catch (...) {
        error = std::current_exception();
    }
    done(std::move(value), error);
}

//! Resumes a suspended coroutine on the worker pool (set by the server; tests resume inline).
using Resumer = std::function<void(std::coroutine_handle<>)>;

}  // namespace clientele
