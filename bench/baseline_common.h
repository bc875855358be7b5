// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_BENCH_BASELINE_COMMON_H
#define RUNGROUP_BENCH_BASELINE_COMMON_H

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace Bench {

// The hand-written group the three baselines share: oklog/run's semantics in the fewest
// lines of C++. Writing it once means the baselines differ only in the thread each actor
// runs on, which is what they are there to compare. Threads is a policy with
// setStackSize(bytes), start(callable), interrupt(index) and joinAll(); see
// baseline_stdthread.h, baseline_qthread.h and baseline_parked.h.
//
// Deliberately minimal: interrupts run on the thread that called run() (as in oklog/run),
// an exception thrown by execute terminates the process, and a failure to create a thread
// is not handled. RunGroup does all three properly.
template <typename Error, typename Threads>
class BaselineGroup
{
public:
    using Execute = std::function<Error()>;
    using Interrupt = std::function<void(const Error &)>;

    void setStackSize(std::size_t bytes) { m_threads.setStackSize(bytes); }

    void add(Execute execute, Interrupt interrupt = {})
    {
        m_actors.push_back(Actor{std::move(execute), std::move(interrupt)});
    }

    // Runs every actor on a thread of its own. When the first one returns, calls every
    // interrupt, in add order, with its error; then joins every thread and returns that
    // error. May be called again once it returned.
    Error run()
    {
        if (m_actors.empty())
            return Error();
        std::mutex mutex;
        std::condition_variable exited;
        std::optional<Error> first; // guarded by mutex
        for (const Actor &actor : m_actors) {
            m_threads.start([&mutex, &exited, &first, &actor] {
                Error error = actor.execute();
                std::lock_guard<std::mutex> lock(mutex);
                if (!first) {
                    first = std::move(error);
                    exited.notify_one();
                }
            });
        }
        Error error;
        {
            std::unique_lock<std::mutex> lock(mutex);
            exited.wait(lock, [&first] { return first.has_value(); });
            error = *first;
        }
        for (std::size_t i = 0; i < m_actors.size(); ++i) {
            m_threads.interrupt(i);
            if (m_actors[i].interrupt)
                m_actors[i].interrupt(error);
        }
        m_threads.joinAll();
        return error;
    }

private:
    struct Actor
    {
        Execute execute;
        Interrupt interrupt;
    };
    std::vector<Actor> m_actors;
    Threads m_threads;
};

} // namespace Bench

#endif // RUNGROUP_BENCH_BASELINE_COMMON_H
