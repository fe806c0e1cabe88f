// A small pool of threads with a bounded queue, for slow CPU work that must not occupy the
// request workers (argon2id hashing, later PDF rendering), and the awaiter that moves a coroutine's
// step onto it and back.
#pragma once

#include <condition_variable>
#include <coroutine>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/task.hpp"

namespace clientele {

class WorkPool {
  public:
    //! `threads` run jobs; at most `max_queued` wait for a thread (more are refused).
    WorkPool(std::string name, int threads, size_t max_queued);
    ~WorkPool();
    WorkPool(const WorkPool&) = delete;
    WorkPool& operator=(const WorkPool&) = delete;

    //! Queues `job`; false when the queue is full.
    bool try_submit(std::function<void()> job);
    const std::string& name() const { return name_; }

  private:
    std::string name_;
    size_t max_queued_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

//! `co_await offload(pool, fn, resume)` runs fn on the pool and continues the coroutine through
//! `resume` with fn's result (or its exception). A full pool answers 503 at once.
template <class R>
class OffloadAwaiter {
  public:
    OffloadAwaiter(WorkPool& pool, std::function<R()> fn, Resumer resume)
        : pool_(pool), fn_(std::move(fn)), resume_(std::move(resume)) {}

    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> awaiting) {
        bool queued = pool_.try_submit([this, awaiting] {
            try {
                if constexpr (std::is_void_v<R>) {
                    fn_();
                } else {
                    result_.emplace(fn_());
                }
            } catch (...) {
                error_ = std::current_exception();
            }
            Resumer resume = resume_;  // the resumed coroutine frees this awaiter: call a copy
            resume(awaiting);
        });
        if (!queued) {
            throw_busy();
        }
    }
    R await_resume() {
        if (error_)
            std::rethrow_exception(error_);
        if constexpr (!std::is_void_v<R>) {
            return std::move(*result_);
        }
    }

  private:
    [[noreturn]] void throw_busy() const;

    WorkPool& pool_;
    std::function<R()> fn_;
    Resumer resume_;
    std::optional<std::conditional_t<std::is_void_v<R>, std::monostate, R>> result_;
    std::exception_ptr error_;
};

template <class F>
auto offload(WorkPool& pool, F&& fn, Resumer resume) {
    using R = std::invoke_result_t<F&>;
    return OffloadAwaiter<R>(pool, std::function<R()>(std::forward<F>(fn)), std::move(resume));
}

//! The 503 a full pool answers with (defined out of line to keep error.hpp out of this header).
[[noreturn]] void throw_pool_busy(const std::string& pool_name);

template <class R>
void OffloadAwaiter<R>::throw_busy() const {
    throw_pool_busy(pool_.name());
}

}  // namespace clientele
