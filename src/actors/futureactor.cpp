// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// add(QFuture<T>): an actor that runs until a future finishes.
#include "futureactor_p.h"

#include "logging_p.h"

#include <QtCore/QException>

FutureActor::FutureActor(const QFuture<void> &future, RunGroup *group)
    : ActorAdaptor(group), m_future(future), m_watcher(this)
{
    // finished() comes from the future's thread through the event queue, after start() if
    // the future finishes while the run is on; begin() covers one finished before.
    connect(&m_watcher, &QFutureWatcher<void>::finished, this,
            [this] { Q_EMIT exited(outcome(false)); });
    m_watcher.setFuture(m_future);
}

void FutureActor::begin()
{
    if (m_future.isFinished())
        Q_EMIT exited(outcome(true));
}

void FutureActor::interrupt(const RunError &)
{
    // Qt marks even a finished future canceled, which would change its outcome for the
    // next run.
    if (!m_future.isFinished())
        m_future.cancel();
}

RunError FutureActor::outcome(bool alreadyFinished)
{
    try {
        // Finished: returns at once, rethrowing the stored exception if there is one.
        m_future.waitForFinished();
    } catch (const QUnhandledException &e) {
        // QtConcurrent::run wraps exceptions that are not QExceptions; unwrap the original.
        return RunError::fromException(e.exception() ? e.exception() : std::current_exception());
    } catch (...) {
        return RunError::fromException(std::current_exception());
    }
    if (m_future.isCanceled()) {
        return RunError::canceled(alreadyFinished
                                      ? QStringLiteral("RunGroup: The future was canceled "
                                                       "before the run started")
                                      : QStringLiteral("RunGroup: The future was canceled"));
    }
    return RunError();
}

int RunGroup::addFutureImpl(const QFuture<void> &future, const QString &name)
{
    if (!ActorAdaptor::canAdd(this, "add"))
        return -1;
    return (new FutureActor(future, this))->addTo(this, name);
}
