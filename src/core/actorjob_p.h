// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_ACTORJOB_P_H
#define RUNGROUP_ACTORJOB_P_H

#include <RunGroup/rungroup.h>

#include "threadpool_p.h"

#include <memory>
#include <mutex>

struct RunShared;

// One actor's exit, on its way to actorExited(). run is the generation of the run it
// belongs to: an exit that arrives after its run ended is dropped.
struct ActorExit
{
    quint64 run = 0;
    int index = -1;
    RunError error;
};

// An exit in RunShared's inbox. An actor thread's own exit travels in its ActorJob's node
// (one exit in flight per job: the job runs again only once the group took it); exits found
// on the group's thread travel in a node of their own (heap).
struct ExitNode
{
    ActorExit exit;
    ExitNode *next = nullptr;
    bool heap = false; // the group deletes it once taken
};

// What a pool thread runs for one threaded actor (add()). Touches only itself and
// RunShared, so it stays safe after a shutdown timeout even when the group is gone. Every
// job of a run lives in its RunShared, allocated once per run, not once per actor.
class ActorJob final : public PoolJob
{
public:
    ActorJob() = default;
    Q_DISABLE_COPY_MOVE(ActorJob)

    // On the group's thread, before the job is launched. Keeps the run's shared state, and
    // with it this job, alive until done() has returned; release() undoes it for a job
    // that could not be launched.
    void prepare(std::shared_ptr<RunShared> shared, const QObject *group, int index,
                 int incarnation, std::shared_ptr<const RunGroupDetail::Execute> execute,
                 const QString &name);
    void release() { m_keepAlive.reset(); }

    // On any thread: the run of group whose actor is executing on this thread, or 0 when
    // this is not an actor thread of group (RunGroup::markReady() from another thread).
    // *index and *incarnation (its restarts before this execute) say which actor it is.
    static quint64 currentRun(const QObject *group, int *index = nullptr,
                              int *incarnation = nullptr);

    // Runs execute. Once it returns, the group no longer touches the thread, so the pool
    // may park it before the exit is reported.
    void run() override;
    // Reports the exit to the group's exit queue, then lets go of the run, which may end
    // this job's life.
    void done() override;

    // On the group's thread: asks execute to stop through its thread's QThread
    // (requestInterruption()), now if it runs, or as soon as it starts. Once per run.
    void requestInterruption();

private:
    // The job's own lock, not the run's: a thousand actor threads starting or ending at
    // once each take their own, so none waits for another. It orders the group's
    // requestInterruption() with execute's start and end on the pool thread: the group
    // never touches a thread that has moved on to another actor.
    std::mutex m_threadMutex;
    QThread *m_thread = nullptr;       // guarded: this job's thread while execute runs
    bool m_interruptRequested = false; // guarded

    std::shared_ptr<RunShared> m_keepAlive;
    RunShared *m_shared = nullptr;
    const QObject *m_group = nullptr;
    int m_index = -1;
    int m_incarnation = 0;
    std::shared_ptr<const RunGroupDetail::Execute> m_execute; // shared with the ActorSpec
    QString m_name;
    RunError m_error;
    ExitNode m_exitNode; // its exit, on its way: see ExitNode
};

#endif // RUNGROUP_ACTORJOB_P_H
