// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Synchronisation helpers for tests whose actors block on each other. Every wait gives up
// after a bound, so a broken group fails a check instead of hanging the suite.

#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

constexpr int kSyncTimeout = 60000;

// A one-shot latch. wait() gives up after a bound, so an actor blocked on a gate that
// its interrupt should have opened ends with a telling failure instead of hanging.
class Gate
{
public:
    void open()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_open = true;
        }
        m_cv.notify_all();
    }
    bool isOpen() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_open;
    }
    bool wait(int ms = kSyncTimeout) const
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        return m_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return m_open; });
    }

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_cv;
    bool m_open = false;
};

// A counting semaphore: lets a blocking actor run again in the next run of its group.
class Semaphore
{
public:
    void release(int n = 1)
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_count += n;
        }
        m_cv.notify_all();
    }
    bool acquire(int ms = kSyncTimeout)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (!m_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return m_count > 0; }))
            return false;
        --m_count;
        return true;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    int m_count = 0;
};

// Waits until n threads arrived; proves that actors run concurrently.
class Barrier
{
public:
    explicit Barrier(int n) : m_expected(n) { }
    bool arriveAndWait()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        ++m_arrived;
        m_cv.notify_all();
        return m_cv.wait_for(lock, std::chrono::milliseconds(kSyncTimeout),
                             [this] { return m_arrived >= m_expected; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    const int m_expected;
    int m_arrived = 0;
};

// Aborts the process, naming what hung, if it is still alive after ms milliseconds: for a
// call that cannot be bounded from inside (a destructor spinning never returns to a
// QTRY's deadline). A QtTest failure cannot report it; a crash with a message can.
class Watchdog
{
public:
    explicit Watchdog(const char *what, int ms = kSyncTimeout)
        : m_thread([this, what, ms] {
              std::unique_lock<std::mutex> lock(m_mutex);
              if (!m_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return m_done; })) {
                  std::fprintf(stderr, "Watchdog: %s did not return within %d ms\n", what, ms);
                  std::fflush(stderr);
                  std::abort();
              }
          })
    { }
    ~Watchdog()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_done = true;
        }
        m_cv.notify_all();
        m_thread.join();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_done = false;
    std::thread m_thread;
};
