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
#include <QtCore/QTimer>

// The ready-made actors (futures, processes, deadlines, nested groups) are event-driven
// actors added with addObject(): an adaptor, a child of the group living on its thread,
// begins its work when the group emits started() and reports its end with exited().
// The core knows nothing about them.
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
    const std::chrono::milliseconds m_duration;
    QTimer m_timer;
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

#endif // RUNGROUP_INTEGRATION_P_H
