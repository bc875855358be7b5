// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_BENCH_SYNC_H
#define RUNGROUP_BENCH_SYNC_H

#include <condition_variable>
#include <mutex>

namespace Bench {

// What a blocked actor waits on: its interrupt opens it, which wakes the actor at once
// (no polling). Opening is sticky, so an interrupt that comes before the actor started
// waiting still stops it, and close() rearms it for the next run.
class Gate
{
public:
    void wait()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_wake.wait(lock, [this] { return m_open; });
    }
    void open()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_open = true;
        }
        m_wake.notify_one();
    }
    // Only while nothing waits (between runs).
    void close()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_open = false;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_open = false; // guarded by m_mutex
};

// std::latch is C++20: a count that opens when it reaches zero.
class Latch
{
public:
    explicit Latch(int count) : m_count(count) { }
    void countDown()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (--m_count == 0)
            m_zero.notify_all();
    }
    void arriveAndWait()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (--m_count == 0)
            m_zero.notify_all();
        else
            m_zero.wait(lock, [this] { return m_count <= 0; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_zero;
    int m_count; // guarded by m_mutex
};

} // namespace Bench

#endif // RUNGROUP_BENCH_SYNC_H
