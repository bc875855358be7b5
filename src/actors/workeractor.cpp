// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// addWorkerThread(): QObjects on a thread of their own with an event loop.
#include "workeractor_p.h"

#include "logging_p.h"
#include "threadstart_p.h"

#include <RunGroup/handover.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QScopeGuard>

#include <utility>

WorkerThread::WorkerThread(const QList<QPointer<QObject>> &objects, RunGroup::WorkerObjects after,
                           QThread *home, QObject *parent)
    : QThread(parent), m_objects(objects), m_after(after), m_home(home)
{ }

void WorkerThread::release()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_isReleased = true;
    m_released.notify_all();
}

void WorkerThread::run()
{
    QObject host;
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_released.wait(lock, [this] { return m_isReleased; });
        m_host = &host;
        // Interrupted before the loop was up: the cleanup runs first thing.
        for (std::function<void()> &cleanup : std::exchange(m_pending, {}))
            postLocked(std::move(cleanup));
    }
    exec();
    {
        // From now on interrupts run on the group's thread, after wait().
        std::lock_guard<std::mutex> lock(m_mutex);
        m_host = nullptr;
        m_ended = true;
    }
    // An interrupt posted before that still runs here, and deleteLater() is honoured.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    for (const QPointer<QObject> &object : m_objects) {
        if (!object || object->thread() != this)
            continue;
        if (m_after == RunGroup::WorkerObjects::Delete)
            delete object.data();
        else
            object->moveToThread(m_home);
    }
}

bool WorkerThread::postInterrupt(std::function<void()> cleanup)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_ended)
        return false;
    if (m_host)
        postLocked(std::move(cleanup));
    else
        m_pending.push_back(std::move(cleanup));
    return true;
}

void WorkerThread::postLocked(std::function<void()> cleanup)
{
    QObject *host = m_host;
    // From the group's thread to the worker's, whose loop may find the event before its
    // wake-up: HandOver makes that order visible to ThreadSanitizer.
    HandOver::post(host, [host, cleanup = std::move(cleanup)] {
        cleanup();
        // Queued, so what cleanup posted (deleteLater(), queued calls) runs first.
        QMetaObject::invokeMethod(
            host, [] { QThread::currentThread()->quit(); }, Qt::QueuedConnection);
    });
}

void WorkerThread::exitWith(const RunError &error)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_errorSet) {
            m_errorSet = true;
            m_error = error;
        }
    }
    quit();
}

RunError WorkerThread::error() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_error;
}

void RunGroup::exitWorker(const RunError &error)
{
    auto *thread = qobject_cast<WorkerThread *>(QThread::currentThread());
    if (!thread) {
        qCWarning(lcActors,
                  "RunGroup::exitWorker: Must be called on a worker thread of addWorkerThread()");
        return;
    }
    thread->exitWith(error);
}

WorkerActor::WorkerActor(const QList<QObject *> &objects, RunGroupDetail::Interrupt interrupt,
                         RunGroup::WorkerObjects after, const QString &name, RunGroup *group)
    : ActorAdaptor(group), m_interrupt(std::move(interrupt)), m_after(after), m_name(name)
{
    for (QObject *object : objects)
        m_objects.append(object);
}

WorkerActor::~WorkerActor()
{
    // Only when the group is destroyed while the loop still runs: end it, then join.
    if (m_thread && m_thread->isRunning()) {
        if (!m_thread->postInterrupt([] {}))
            m_thread->quit();
        m_thread->wait();
    }
}

void WorkerActor::begin()
{
    m_startFailed = false;
    for (const QPointer<QObject> &object : std::as_const(m_objects)) {
        if (object && (object->thread() != thread() || object->parent())) {
            Q_EMIT exited(RunError::failure(
                QStringLiteral("RunGroup: Object %1 of worker %2 cannot be moved: it has a "
                               "parent or lives on another thread")
                    .arg(QLatin1String(object->metaObject()->className()), m_name)));
            return;
        }
    }
    delete m_thread;
    m_thread = new WorkerThread(m_objects, m_after, thread(), this);
    m_thread->setObjectName(m_name);
    connect(m_thread, &QThread::finished, this, &WorkerActor::threadFinished);
    // The thread first: it waits for release() before touching the objects.
    if (const int error = ThreadStart::start(m_thread)) {
        delete m_thread;
        m_thread = nullptr;
        m_startFailed = true;
        Q_EMIT exited(RunError::failure(QStringLiteral("RunGroup: Cannot start a thread for "
                                                       "worker %1: %2")
                                            .arg(m_name, ThreadStart::errorText(error))));
        return;
    }
    for (const QPointer<QObject> &object : std::as_const(m_objects)) {
        if (object)
            object->moveToThread(m_thread);
    }
    m_active = true;
    m_thread->release();
}

void WorkerActor::interrupt(const RunError &error)
{
    if (std::exchange(m_startFailed, false)) {
        // The objects never left this thread: they clean up here, as after a loop that ended,
        // and go as after says.
        const auto after = qScopeGuard([this] {
            if (m_after == RunGroup::WorkerObjects::Delete) {
                for (const QPointer<QObject> &object : std::as_const(m_objects))
                    delete object.data();
            }
        });
        if (m_interrupt)
            m_interrupt(error);
        return;
    }
    if (!m_thread || !m_interrupt) {
        if (m_thread)
            m_thread->quit();
        return;
    }
    const RunGroupDetail::Interrupt interrupt = m_interrupt;
    if (m_thread->postInterrupt([interrupt, error] { interrupt(error); }))
        return;
    // The loop has ended already: the objects are coming back to this thread (or are
    // being deleted, and then there is nothing to clean up).
    m_thread->wait();
    if (m_after == RunGroup::WorkerObjects::MoveBack)
        interrupt(error);
}

void WorkerActor::threadFinished()
{
    m_thread->wait();
    if (std::exchange(m_active, false))
        Q_EMIT exited(m_thread->error());
}

int RunGroup::addWorkerThreadImpl(const QList<QObject *> &objects,
                                  RunGroupDetail::Interrupt interrupt, const QString &name,
                                  WorkerObjects after)
{
    if (!ActorAdaptor::canAdd(this, "addWorkerThread"))
        return -1;
    for (QObject *object : objects) {
        if (!object) {
            qCWarning(lcActors, "RunGroup::addWorkerThread: An object is null");
            return -1;
        }
        const char *className = object->metaObject()->className();
        if (object->thread() != thread()) {
            qCWarning(lcActors,
                      "RunGroup::addWorkerThread: The %s does not live on the group's thread",
                      className);
            return -1;
        }
        if (object->parent()) {
            qCWarning(lcActors,
                      "RunGroup::addWorkerThread: The %s has a parent; only objects without one "
                      "can move to another thread",
                      className);
            return -1;
        }
        if (object == this || qobject_cast<QThread *>(object)) {
            qCWarning(lcActors,
                      "RunGroup::addWorkerThread: The %s cannot be hosted on a worker thread",
                      className);
            return -1;
        }
    }
    const QString actorName = name.isEmpty() ? QStringLiteral("worker") : name;
    return (new WorkerActor(objects, std::move(interrupt), after, actorName, this))
        ->addTo(this, actorName);
}
