// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "actorjob_p.h"

#include "exitqueue_p.h"
#include "nativethread_p.h"

#include <QtCore/QThread>

#include <exception>

namespace {
// The actor that this thread is executing now, if any.
struct CurrentActor
{
    const QObject *group = nullptr;
    quint64 run = 0;
    int index = -1;
    int incarnation = 0;
};
thread_local CurrentActor t_current;
} // namespace

quint64 ActorJob::currentRun(const QObject *group, int *index, int *incarnation)
{
    if (t_current.group != group)
        return 0;
    if (index)
        *index = t_current.index;
    if (incarnation)
        *incarnation = t_current.incarnation;
    return t_current.run;
}

void ActorJob::prepare(std::shared_ptr<RunShared> shared, const QObject *group, int index,
                       int incarnation, std::shared_ptr<const RunGroupDetail::Execute> execute,
                       const QString &name)
{
    m_incarnation = incarnation;
    m_shared = shared.get();
    m_group = group;
    m_keepAlive = std::move(shared);
    m_index = index;
    m_execute = std::move(execute);
    m_name = name;
}

void ActorJob::run()
{
    // A thread Qt adopted: its QThread object has no event dispatcher.
    QThread *self = QThread::currentThread();
    if (self->objectName() != m_name)
        self->setObjectName(m_name);
    NativeThread::setCurrentName(m_name);
    RunShared &shared = *m_shared;
    // The run already finished: a shutdown timeout gave up on this actor before its thread
    // even got to run it. Starting execute now, after finished() and perhaps after the
    // group is gone, would only surprise the caller; its exit is dropped.
    if (shared.finished.load(std::memory_order_acquire)) {
        m_execute.reset();
        m_error = RunError::canceled();
        return;
    }
    {
        std::lock_guard<std::mutex> lock(m_threadMutex);
        m_thread = self;
        if (m_interruptRequested)
            self->requestInterruption();
    }
    t_current = CurrentActor{m_group, shared.run, m_index, m_incarnation};
    try {
        m_error = (*m_execute)();
    } catch (...) {
        m_error = RunError::fromException(std::current_exception());
    }
    t_current = CurrentActor();
    // What execute held is released before the group hears of the exit (if the group
    // is gone, the callable itself is destroyed here).
    m_execute.reset();
    std::lock_guard<std::mutex> lock(m_threadMutex);
    // After this, the group never calls requestInterruption() on self.
    m_thread = nullptr;
}

void ActorJob::requestInterruption()
{
    std::lock_guard<std::mutex> lock(m_threadMutex);
    m_interruptRequested = true;
    if (m_thread)
        m_thread->requestInterruption();
}

void ActorJob::done()
{
    // Members are read before the exit is posted: once it is, the group may prepare this
    // job again for the actor's restart. The last reference to the run may be this one: it
    // goes with the local.
    const std::shared_ptr<RunShared> run = std::move(m_keepAlive);
    m_exitNode.exit = ActorExit{run->run, m_index, std::move(m_error)};
    m_error = RunError();
    run->postExit(&m_exitNode);
}
