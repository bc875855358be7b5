// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_INTEGRATION_P_H
#define RUNGROUP_INTEGRATION_P_H

#include <RunGroup/rungroup.h>

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QProcess>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

// The ready-made actors (futures, processes, deadlines, nested groups, worker threads)
// are event-driven actors added with addObject(): an adaptor, a child of the group living
// on its thread, begins its work when the group emits started() and reports its end with
// exited(). The core knows nothing about them. Every QObject an adaptor holds is its child,
// so a group moved to another thread takes all of it along.
class ActorAdaptor : public QObject
{
    Q_OBJECT
public:
    explicit ActorAdaptor(RunGroup *group);

    // Adds this adaptor to group as an object actor; deletes it and returns -1 on failure.
    int addTo(RunGroup *group, const QString &name);

    // The actor's interrupt, queued on the group's thread.
    virtual void interrupt(const RunError &error) = 0;

Q_SIGNALS:
    // The actor's exit signal. Emitted outside a run, it is ignored.
    void exited(const RunError &error);

protected:
    // Called on every start() of the group, from its started() signal.
    virtual void begin() = 0;
};

// add(QFuture<T>): exits when the future finishes.
class FutureActor : public ActorAdaptor
{
    Q_OBJECT
public:
    FutureActor(const QFuture<void> &future, RunGroup *group);
    void interrupt(const RunError &error) override;

protected:
    void begin() override;

private:
    RunError outcome(bool alreadyFinished);

    QFuture<void> m_future;
    QFutureWatcher<void> m_watcher;
};

// addProcess(): starts the process with the run, exits with it.
class ProcessActor : public ActorAdaptor
{
    Q_OBJECT
public:
    // Takes process over when owned (it becomes a child of this adaptor).
    ProcessActor(QProcess *process, bool owned, int killTimeoutMs, RunGroup *group);
    ~ProcessActor() override;
    void interrupt(const RunError &error) override;

protected:
    void begin() override;

private:
    void readStandardError();
    void processFinished(int exitCode, QProcess::ExitStatus status);
    void processError(QProcess::ProcessError error);
    QString describe() const;

    QPointer<QProcess> m_process;
    const bool m_owned;
    const int m_killTimeoutMs;
    QTimer m_killTimer;
    QByteArray m_stderrTail; // the last kStderrTail bytes of this run's standard error
    bool m_active = false;   // started in this run and not yet reported
    bool m_terminated = false;
    bool m_killed = false;
};

// addTimeout(): a deadline started with the run.
class TimeoutActor : public ActorAdaptor
{
    Q_OBJECT
public:
    TimeoutActor(std::chrono::milliseconds duration, RunGroup *group);
    void interrupt(const RunError &error) override;

protected:
    void begin() override;

private:
    // Starts the timer for what is left of the deadline, or for one step of it.
    void armNextStep();

    const std::chrono::milliseconds m_duration;
    QTimer m_timer;
    std::chrono::steady_clock::time_point m_started; // begin() of this run
    bool m_lastStep = false; // the timer runs until the deadline, not one step of it
};

// addGroup(): a nested group, started with its parent and stopped by its interrupt.
class GroupActor : public ActorAdaptor
{
    Q_OBJECT
public:
    GroupActor(RunGroup *child, RunGroup *group);
    void interrupt(const RunError &error) override;
    RunGroup *child() const { return m_child.data(); }

protected:
    void begin() override;

private:
    QPointer<RunGroup> m_child;
    bool m_active = false; // the child was started by this run and has not finished
};

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

#endif // RUNGROUP_INTEGRATION_P_H
