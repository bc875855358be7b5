// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include <RunGroupQml/threadactor.h>

#include "rungroupactor_p.h"

#include <RunGroup/rungroup.h>

#include <QtCore/QLoggingCategory>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace {
// C++-side warnings of the QML types (the QML engine's own go to its "qml" category).
Q_LOGGING_CATEGORY(lcQml, "rungroup.qml", QtInfoMsg)
} // namespace

// Shared between the GUI thread and the execute() wrapper on the actor's thread.
class ThreadActorPrivate
{
public:
    std::mutex mutex;
    std::condition_variable idle; // notified when execute() returns
    // Guarded by mutex.
    QThread *thread = nullptr; // the actor thread while execute() runs
    bool destroyed = false;    // ~ThreadActor began: execute() must not be called
    // Set on the GUI thread when this run's interrupt is delivered, read from execute().
    std::atomic<bool> interruptRequested{false};
};

ThreadActor::ThreadActor(QObject *parent)
    : RunGroupActor(parent), td_ptr(new ThreadActorPrivate) { }

ThreadActor::~ThreadActor()
{
    std::unique_lock<std::mutex> lock(td_ptr->mutex);
    td_ptr->destroyed = true;
    if (td_ptr->thread) {
        qCWarning(lcQml,
                  "ThreadActor::~ThreadActor: Destroyed while execute() is running; waiting for "
                  "it to return (destroy the RunGroup, not its actors)");
        td_ptr->interruptRequested = true;
        td_ptr->thread->requestInterruption();
        td_ptr->idle.wait(lock, [this] { return td_ptr->thread == nullptr; });
    }
}

void ThreadActor::interrupt(const RunError &error)
{
    Q_UNUSED(error);
}

bool ThreadActor::isInterruptionRequested() const
{
    if (td_ptr->interruptRequested.load())
        return true;
    std::lock_guard<std::mutex> lock(td_ptr->mutex);
    return td_ptr->thread && td_ptr->thread->isInterruptionRequested();
}

void ThreadActor::aboutToRun() { }

void ThreadActor::aboutToStart()
{
    td_ptr->interruptRequested = false;
    aboutToRun();
}

int ThreadActor::addTo(RunGroup *group)
{
    std::shared_ptr<ThreadActorPrivate> d = td_ptr;
    auto execute = [this, d]() -> RunError {
        {
            std::lock_guard<std::mutex> lock(d->mutex);
            if (d->destroyed)
                return RunError::canceled();
            d->thread = QThread::currentThread();
        }
        const auto done = qScopeGuard([&d] {
            std::lock_guard<std::mutex> lock(d->mutex);
            d->thread = nullptr;
            d->idle.notify_all();
        });
        return this->execute();
    };
    // Queued to this object (the GUI thread); dropped if it is destroyed first.
    auto interrupt = [this](const RunError &error) {
        td_ptr->interruptRequested = true;
        this->interrupt(error);
        if (!RunGroupActorPrivate::get(this)->groupDestroying)
            Q_EMIT interrupted(error);
    };
    return group->add(std::move(execute), std::move(interrupt), this, name());
}
