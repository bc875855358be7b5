// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_BENCH_BASELINE_STDTHREAD_H
#define RUNGROUP_BENCH_BASELINE_STDTHREAD_H

#include "baseline_common.h"

#include <QtCore/QThread>

#include <cstddef>
#include <thread>
#include <utility>
#include <vector>

#ifdef __GLIBC__ // <cstddef> brings in glibc's features.h
#include <pthread.h>
#endif

namespace Bench {

// Sets the stack of every std::thread created from now on to bytes. std::thread takes no
// attributes: it creates its thread with glibc's default ones, which
// pthread_setattr_default_np() (a GNU extension) sets for the whole process; each benchmark
// child runs one implementation only, so that is harmless there. Elsewhere (macOS, Windows)
// threads keep the system's default stack size. Baselines (a) and (c) (baseline_parked.h)
// both create their threads so.
inline void setStdThreadStackSize(std::size_t bytes)
{
#ifdef __GLIBC__
    pthread_attr_t attr;
    if (pthread_getattr_default_np(&attr) != 0)
        return;
    if (pthread_attr_setstacksize(&attr, bytes) == 0)
        pthread_setattr_default_np(&attr);
    pthread_attr_destroy(&attr);
#else
    (void)bytes;
#endif
}

// Baseline (a): one std::thread per actor, a condition variable for the first exit. The
// smallest correct C++ implementation: the physical limit of one OS thread per actor.
class StdThreads
{
public:
    void setStackSize(std::size_t bytes) { setStdThreadStackSize(bytes); }

    template <typename F>
    void start(F &&body)
    {
        m_threads.emplace_back(std::forward<F>(body));
    }

    // Nothing beside the actor's own interrupt: std::thread has no interruption flag.
    void interrupt(std::size_t) { }

    void joinAll()
    {
        for (std::thread &thread : m_threads)
            thread.join();
        m_threads.clear();
    }

private:
    std::vector<std::thread> m_threads;
};

template <typename Error>
using StdThreadGroup = BaselineGroup<Error, StdThreads>;

// Baseline (d): (a), with each thread adopted by Qt before its actor runs
// (QThread::currentThread(), which creates the QThread and Qt's per-thread data), as every
// RunGroup actor thread is: RunGroup's contract is that an actor asks
// QThread::currentThread() whether it was interrupted. Not a way to write a group: the
// floor of what a thread that keeps that contract costs, in memory and in creation time.
class AdoptedStdThreads : public StdThreads
{
public:
    template <typename F>
    void start(F &&body)
    {
        StdThreads::start([body = std::forward<F>(body)]() mutable {
            QThread::currentThread();
            body();
        });
    }
};

template <typename Error>
using AdoptedStdThreadGroup = BaselineGroup<Error, AdoptedStdThreads>;

} // namespace Bench

#endif // RUNGROUP_BENCH_BASELINE_STDTHREAD_H
