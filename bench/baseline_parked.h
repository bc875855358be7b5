// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_BENCH_BASELINE_PARKED_H
#define RUNGROUP_BENCH_BASELINE_PARKED_H

#include "baseline_common.h"
#include "baseline_stdthread.h" // setStdThreadStackSize()

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace Bench {

// Baseline (c), the floor of thread reuse: a minimal pool of parked OS threads. start()
// hands the callable to a parked thread if one is idle, else creates a std::thread (with
// the stack of setStackSize(), as baseline (a) does) that runs it and then parks: it waits
// on a condition variable of its own for the next callable. joinAll() waits until every
// callable of this run has returned, not for any thread to end: that is thread reuse.
// Parked threads live until the process exits; the pool keeps every thread it ever made.
//
// The smallest correct C++ implementation of "reuse parked OS threads", so the least a
// design that parks its threads (as RunGroup does) can cost. Like the other baselines it
// has no Qt, handles no exception and no failure to create a thread, and starts actors in
// no particular order on whichever parked thread comes first.
class ParkedThreads
{
public:
    void setStackSize(std::size_t bytes) { setStdThreadStackSize(bytes); }

    template <typename F>
    void start(F &&body)
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            ++m_running;
        }
        Pool::instance().run(Task{std::function<void()>(std::forward<F>(body)), this});
    }

    // Nothing beside the actor's own interrupt, as for std::thread.
    void interrupt(std::size_t) { }

    void joinAll()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_finished.wait(lock, [this] { return m_running == 0; });
    }

private:
    struct Task
    {
        std::function<void()> body; // empty: no task
        ParkedThreads *owner = nullptr;
    };

    // One parked thread's place. Its launcher notifies wake after unlocking mutex, so the
    // slot must outlive every notify: slots are never destroyed (see Pool).
    struct Slot
    {
        std::mutex mutex;
        std::condition_variable wake;
        Task task; // guarded by mutex
    };

    // Every parked thread of the process.
    class Pool
    {
    public:
        // Leaked on purpose, never destroyed: parked threads wait on their slots' condition
        // variables until the process ends, and destroying a condition variable that has
        // waiters blocks in glibc, so a static destructor would hang exit(). The threads are
        // detached, and exit() ends them where they wait.
        static Pool &instance()
        {
            static Pool *const pool = new Pool;
            return *pool;
        }

        // Runs task on an idle thread, or on a new one.
        void run(Task task)
        {
            Slot *slot = nullptr;
            bool created = false;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                if (!m_idle.empty()) {
                    slot = m_idle.back();
                    m_idle.pop_back();
                } else {
                    slot = &m_slots.emplace_back(); // a deque: the other slots stay put
                    created = true;
                    // Room for every thread to park without allocating (a thread's first
                    // allocation may cost it a malloc arena).
                    if (m_idle.capacity() < m_slots.size())
                        m_idle.reserve(2 * m_slots.size());
                }
            }
            if (created) {
                // No other thread knows this slot yet; creating its thread publishes the task.
                slot->task = std::move(task);
                std::thread(&Pool::serve, this, slot).detach();
                return;
            }
            {
                std::lock_guard<std::mutex> lock(slot->mutex);
                slot->task = std::move(task);
            }
            slot->wake.notify_one(); // after unlocking: the thread wakes to a free mutex
        }

    private:
        // A thread's life: runs its slot's tasks, one after the other, parked in between.
        void serve(Slot *slot)
        {
            for (;;) {
                Task task;
                {
                    std::unique_lock<std::mutex> lock(slot->mutex);
                    slot->wake.wait(lock, [slot] { return bool(slot->task.body); });
                    task = std::move(slot->task);
                    slot->task = Task();
                }
                task.body();
                task.body = nullptr; // its captures go before the run may end
                {
                    // Idle before the run learns that the task returned, so that a run that
                    // follows at once finds every thread of this one parked.
                    std::lock_guard<std::mutex> lock(m_mutex);
                    m_idle.push_back(slot);
                }
                task.owner->finished(); // the last use of the owner, which may then go
            }
        }

        std::mutex m_mutex;
        std::deque<Slot> m_slots;   // guarded by m_mutex; only grows
        std::vector<Slot *> m_idle; // guarded by m_mutex; the parked threads without a task
    };

    // Called on a pool thread once a callable of this run returned. Notifies under the lock:
    // once joinAll() can see m_running == 0, this object (the group's) may be destroyed.
    void finished()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (--m_running == 0)
            m_finished.notify_all();
    }

    std::mutex m_mutex;
    std::condition_variable m_finished;
    std::size_t m_running = 0; // guarded by m_mutex: started callables that have not returned
};

template <typename Error>
using ParkedThreadGroup = BaselineGroup<Error, ParkedThreads>;

} // namespace Bench

#endif // RUNGROUP_BENCH_BASELINE_PARKED_H
