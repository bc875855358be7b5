// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_EXAMPLE_SLEEPER_H
#define RUNGROUP_EXAMPLE_SLEEPER_H

#include <chrono>
#include <condition_variable>
#include <mutex>

// An interruptible pause for an actor's execute(): sleep() returns false as soon as
// wake() was called, which an interrupt does from the GUI thread. reset() re-arms it
// for the next run. As in oklog/run, wake() may come before sleep() or after the run.
class Sleeper
{
public:
    void reset()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_woken = false;
    }
    void wake()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_woken = true;
        }
        m_wake.notify_all();
    }
    // Returns true after a full pause; false when woken.
    bool sleep(std::chrono::milliseconds duration)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        return !m_wake.wait_for(lock, duration, [this] { return m_woken; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_woken = false; // guarded by m_mutex
};

#endif // RUNGROUP_EXAMPLE_SLEEPER_H
