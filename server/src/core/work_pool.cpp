#include "core/work_pool.hpp"

#include "core/error.hpp"

namespace clientele {

WorkPool::WorkPool(std::string name, int threads, size_t max_queued)
    : name_(std::move(name)), max_queued_(max_queued) {
    for (int i = 0; i < threads; ++i) {
        threads_.emplace_back([this] {
            for (;;) {
                std::function<void()> job;
                {
                    std::unique_lock lock(mutex_);
                    ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
                    if (queue_.empty()) {
                        return;
                    }
                    job = std::move(queue_.front());
                    queue_.pop_front();
                }
                job();
            }
        });
    }
}

WorkPool::~WorkPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto& thread : threads_) {
        thread.join();
    }
}

bool WorkPool::try_submit(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= max_queued_) {
            return false;
        }
        queue_.push_back(std::move(job));
    }
    ready_.notify_one();
    return true;
}

void throw_pool_busy(const std::string& pool_name) {
    throw Error(Code::unavailable, "The server is busy (" + pool_name + "); try again shortly.")
        .with_retry_after(1);
}

}  // namespace clientele
