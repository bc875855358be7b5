// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_THREADPOOL_P_H
#define RUNGROUP_THREADPOOL_P_H

#include <RunGroup/rungroup.h>

#include <memory>

struct RunShared;

// What one threaded actor needs on its thread. Copying it allocates nothing: the callable
// is shared with the group's ActorSpec.
struct ActorJob
{
    std::shared_ptr<RunShared> shared;
    int index = -1;
    std::shared_ptr<const RunGroupDetail::Execute> execute;
    QString name;
};

// The process-wide pool of actor threads. A thread runs one actor's execute, then parks
// for the next actor of any group: creating an OS thread costs ~150 µs, handing a job to
// a parked one a few. Parked threads expire after idleExpiry() ms, at most idleLimit()
// stay parked, and a thread that cannot be returned to a clean state (an interruption
// flag Qt cannot clear, an event dispatcher an actor created) ends instead of parking.
// Thread-safe.
namespace ActorThreadPool {
// Runs job on a parked thread of this stack size (0: the platform default) or a new one.
// Returns 0, or the errno of a failed thread creation (job is then not run).
int launch(ActorJob &&job, size_t stackSize);

void setIdleLimit(int count);
int idleLimit();
void setIdleExpiry(int ms);
int idleExpiry();
int idleCount();
} // namespace ActorThreadPool

// On the actor thread: runs the job's execute; once it returns, the group no longer
// touches the thread, so the thread may be parked before the exit is reported.
RunError executeActorJob(ActorJob &job);
// On the actor thread: reports the job's exit to its group.
void reportActorExit(ActorJob &job, RunError &&error);

// Clears the calling thread's QThread interruption flag after its actor ended. Returns
// false when this build cannot (no Qt private headers): the thread is then not reused.
bool clearCurrentThreadInterruption();

#endif // RUNGROUP_THREADPOOL_P_H
