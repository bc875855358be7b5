// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_WORKERACTOR_P_H
#define RUNGROUP_WORKERACTOR_P_H

#include "actoradaptor_p.h"

#include <QtCore/QPointer>
#include <QtCore/QThread>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

// The thread of a worker event-loop actor: runs exec(), then hands its objects back.
class WorkerThread : public QThread
{
    Q_OBJECT
public:
    WorkerThread(const QList<QPointer<QObject>> &objects, RunGroup::WorkerObjects after,
                 QThread *home, QObject *parent);

    // From the group's thread, once the thread has started and the objects were moved to
    // it: lets run() host them. Until then run() waits, so that objects are only ever moved
    // to a thread known to run (one that never starts could not hand them back).
    void release();
    // From the group's thread: queues cleanup, then quit(), on this thread unless its loop
    // has ended (then returns false). Before the loop is up, cleanup waits for it.
    bool postInterrupt(std::function<void()> cleanup);
    // On this thread: the actor's exit error (the first call wins) and quit().
    void exitWith(const RunError &error);
    // Valid after finished().
    RunError error() const;

protected:
    void run() override;

private:
    const QList<QPointer<QObject>> m_objects;
    const RunGroup::WorkerObjects m_after;
    QThread *const m_home;
    mutable std::mutex m_mutex;
    // Requires m_mutex and m_host.
    void postLocked(std::function<void()> cleanup);

    std::condition_variable m_released;

    // Guarded by m_mutex.
    bool m_isReleased = false; // release() was called
    QObject *m_host = nullptr; // lives on this thread while its loop accepts work
    bool m_ended = false;      // the loop has ended: nothing is posted any more
    std::vector<std::function<void()>> m_pending; // interrupts that came before the loop
    RunError m_error;
    bool m_errorSet = false;
};

// addWorkerThread(): QObjects hosted on a thread of their own with an event loop.
class WorkerActor : public ActorAdaptor
{
    Q_OBJECT
public:
    WorkerActor(const QList<QObject *> &objects, RunGroupDetail::Interrupt interrupt,
                RunGroup::WorkerObjects after, const QString &name, RunGroup *group);
    ~WorkerActor() override;
    void interrupt(const RunError &error) override;
    // Deleted objects cannot move to a new thread.
    bool canRestart() const override { return m_after == RunGroup::WorkerObjects::MoveBack; }

protected:
    void begin() override;

private:
    void threadFinished();

    QList<QPointer<QObject>> m_objects;
    const RunGroupDetail::Interrupt m_interrupt;
    const RunGroup::WorkerObjects m_after;
    const QString m_name;
    WorkerThread *m_thread = nullptr; // this run's; a child of this adaptor
    bool m_active = false;
    bool m_startFailed = false; // this run's thread could not be created
};

#endif // RUNGROUP_WORKERACTOR_P_H
