// core/task.hpp and core/work_pool.hpp: coroutines that suspend on a pool and resume elsewhere.
#include "core/task.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>

#include "core/error.hpp"
#include "core/work_pool.hpp"

using namespace clientele;

namespace {
Resumer inline_resumer() {
    return [](std::coroutine_handle<> h) { h.resume(); };
}

Task<int> square_on(WorkPool& pool, int x) {
    int y = co_await offload(
        pool, [x] { return x * x; }, inline_resumer());
    co_return y;
}

Task<int> throws_on(WorkPool& pool) {
    co_await offload(
        pool, []() -> int { throw Error(Code::conflict, "no"); }, inline_resumer());
    co_return 0;
}

template <class T>
std::pair<std::optional<T>, std::exception_ptr> run(Task<T> task) {
    std::promise<std::pair<std::optional<T>, std::exception_ptr>> result;
    auto future = result.get_future();
    spawn(std::move(task), [&](std::optional<T> value, std::exception_ptr error) {
        result.set_value({std::move(value), error});
    });
    return future.get();
}
}  // namespace

TEST(Task, ResumesWithTheResultFromAnotherThread) {
    WorkPool pool("test", 1, 4);
    auto [value, error] = run(square_on(pool, 7));
    EXPECT_FALSE(error);
    EXPECT_EQ(value, 49);
}

TEST(Task, CarriesExceptionsToTheAwaiter) {
    WorkPool pool("test", 1, 4);
    auto [value, error] = run(throws_on(pool));
    EXPECT_FALSE(value);
    ASSERT_TRUE(error);
    try {
        std::rethrow_exception(error);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Code::conflict);
    }
}

TEST(WorkPool, AFullQueueAnswers503AtOnce) {
    WorkPool pool("hashing", 1, 1);
    std::mutex mutex;
    std::condition_variable cv;
    bool release = false, started = false;
    // Occupy the one thread, then fill the one queue slot.
    ASSERT_TRUE(pool.try_submit([&] {
        std::unique_lock lock(mutex);
        started = true;
        cv.notify_all();
        cv.wait(lock, [&] { return release; });
    }));
    {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return started; });
    }
    ASSERT_TRUE(pool.try_submit([] {}));
    auto [value, error] = run(square_on(pool, 3));
    ASSERT_TRUE(error);
    try {
        std::rethrow_exception(error);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Code::unavailable);
        EXPECT_EQ(e.retry_after(), 1);
    }
    {
        std::lock_guard lock(mutex);
        release = true;
    }
    cv.notify_all();
}
