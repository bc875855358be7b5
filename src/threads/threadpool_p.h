// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_THREADPOOL_P_H
#define RUNGROUP_THREADPOOL_P_H

#include <cstddef>

// One job for a pool thread. The pool knows nothing else of what it runs, and does not own
// it: whoever launches a job keeps it alive until its done() has returned.
class PoolJob
{
public:
    // On the pool thread. Once it returns, the thread is handed back to the pool (parked
    // for the next job, or left to end) before done() runs: a job launched as soon as
    // done() reported this one finds the thread ready.
    virtual void run() = 0;
    // On the pool thread, after run() and after the thread went back to the pool. The
    // pool never touches the job again, so done() may end the job's life.
    virtual void done() = 0;

protected:
    ~PoolJob() = default;
};

// The process-wide pool of actor threads. A thread runs one job, then parks for the next
// job of any group: creating an OS thread costs ~150 µs, handing a job to a parked one a
// few. Parked threads expire after idleExpiry() ms, at most idleLimit() stay parked, and a
// thread that cannot be returned to a clean state (an interruption flag Qt cannot clear,
// an event dispatcher a job created) ends instead of parking. Thread-safe.
namespace ActorThreadPool {
// Runs job on a parked thread of this stack size (0: the platform default) or a new one.
// Returns 0, or the errno of a failed thread creation (job is then left alone, not run).
// Inside a LaunchBatch of this thread, a parked thread is handed its job only when the
// batch ends.
int launch(PoolJob *job, size_t stackSize);

// Waking a parked thread costs its waker a system call (~4 µs on the project machine, most
// of it telling the other core to run the thread): launching N jobs one wake after another
// keeps the launching thread busy for N of them. While a LaunchBatch lives, launch() only
// notes which parked thread takes which job; when it ends, each job is handed over and the
// first thread is woken, and every thread woken so wakes two more before it runs its job:
// the N wakes spread over every core in log2(N) rounds, and the launching thread is free
// after one. New threads are still created at once. One batch per thread at a time; none
// may be open while anything runs that could wait for a launched job to begin.
class LaunchBatch
{
public:
    LaunchBatch();
    ~LaunchBatch();
    LaunchBatch(const LaunchBatch &) = delete;
    LaunchBatch &operator=(const LaunchBatch &) = delete;
};

void setIdleLimit(int count);
int idleLimit();
void setIdleExpiry(int ms);
int idleExpiry();
int idleCount();
} // namespace ActorThreadPool

#endif // RUNGROUP_THREADPOOL_P_H
