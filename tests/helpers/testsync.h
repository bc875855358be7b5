// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Synchronisation helpers for tests, and for the benchmark (bench/), whose actors block on
// each other. Every wait of a test gives up after a bound, so a broken group fails a check
// instead of hanging the suite; the benchmark waits without one (Gate::kForever).

#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

constexpr int kSyncTimeout = 60000;

// A latch an actor blocks on until its interrupt opens it; the wake-up is immediate (no
// polling). Opening is sticky, so an interrupt that comes before the actor started waiting
// still stops it, and close() rearms it for the next run. wait() gives up after a bound, so
// an actor blocked on a gate that its interrupt should have opened ends with a telling
// failure instead of hanging.
class Gate
{
public:
    // For wait(): no bound.
    static constexpr int kForever = -1;

    void open()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_open = true;
        }
        m_cv.notify_all();
    }
    // Only while nothing waits (between runs).
    void close()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_open = false;
    }
    bool isOpen() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_open;
    }
    // Returns whether the gate opened within ms milliseconds (kForever: until it opens).
    bool wait(int ms = kSyncTimeout) const
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (ms == kForever) {
            m_cv.wait(lock, [this] { return m_open; });
            return true;
        }
        return m_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return m_open; });
    }

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_cv;
    bool m_open = false; // guarded by m_mutex
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

// A count that opens when it reaches zero (std::latch is C++20). arriveAndWait() proves
// that actors run concurrently: each of n threads arrives, and none goes on before all have.
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
    // Counts down and returns whether the count reached zero within ms milliseconds
    // (Gate::kForever: until it does).
    bool arriveAndWait(int ms = kSyncTimeout)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (--m_count <= 0) {
            m_zero.notify_all();
            return true;
        }
        const auto zero = [this] { return m_count <= 0; };
        if (ms == Gate::kForever) {
            m_zero.wait(lock, zero);
            return true;
        }
        return m_zero.wait_for(lock, std::chrono::milliseconds(ms), zero);
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_zero;
    int m_count; // guarded by m_mutex
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
