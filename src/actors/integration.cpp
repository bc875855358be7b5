// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Ready-made actors built on addObject(): futures, processes, deadlines, nested groups.

#include "integration_p.h"
#include "logging_p.h"

#include "rungroup_p.h"
#include "signalwatcher_p.h"
#include "testseams_p.h"
#include "threadstart_p.h"

#include <RunGroup/handover.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QException>
#include <QtCore/QFileInfo>
#include <QtCore/QScopeGuard>

#include <algorithm>
#include <atomic>
#include <climits>
#include <csignal>
#include <cstdio>
#include <utility>

ActorAdaptor::ActorAdaptor(RunGroup *group) : QObject(group)
{
    connect(group, &RunGroup::started, this, &ActorAdaptor::begin);
}

int ActorAdaptor::addTo(RunGroup *group, const QString &name)
{
    const int index = group->addObject(this, &ActorAdaptor::exited, &ActorAdaptor::interrupt, name);
    if (index < 0)
        delete this;
    return index;
}

// ---------------------------------------------------------------------------------------
// Futures

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
    Q_D(RunGroup);
    if (!d->canAdd("add"))
        return -1;
    return (new FutureActor(future, this))->addTo(this, name);
}

// ---------------------------------------------------------------------------------------
// Processes

namespace {
// How much of a failed process's standard error its exit error quotes.
constexpr int kStderrTail = 1024;
} // namespace

ProcessActor::ProcessActor(QProcess *process, bool owned, int killTimeoutMs, RunGroup *group)
    : ActorAdaptor(group), m_process(process), m_owned(owned), m_killTimeoutMs(killTimeoutMs),
      m_killTimer(this)
{
    if (owned)
        process->setParent(this);
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_killed = true;
            m_process->kill();
        }
    });
    connect(process, &QProcess::readyReadStandardError, this, &ProcessActor::readStandardError);
    connect(process, &QProcess::finished, this, &ProcessActor::processFinished);
    connect(process, &QProcess::errorOccurred, this, &ProcessActor::processError);
    // A QProcess of the caller's destroyed while running: the actor exits canceled.
    connect(process, &QObject::destroyed, this, [this] {
        if (std::exchange(m_active, false))
            Q_EMIT exited(RunError::canceled(
                QStringLiteral("RunGroup: The QProcess was destroyed while running")));
    });
}

ProcessActor::~ProcessActor()
{
    // Only when the group is destroyed: a process it still owns must not outlive it.
    if (m_owned && m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(m_killTimeoutMs > 0 ? m_killTimeoutMs : 5000);
    }
}

void ProcessActor::begin()
{
    m_stderrTail.clear();
    m_terminated = false;
    m_killed = false;
    m_killTimer.stop();
    if (!m_process) {
        Q_EMIT exited(
            RunError::canceled(QStringLiteral("RunGroup: The QProcess was destroyed before the "
                                              "run started")));
        return;
    }
    if (m_process->state() != QProcess::NotRunning) {
        Q_EMIT exited(RunError::failure(
            QStringLiteral("RunGroup: Process %1 was already running").arg(describe())));
        return;
    }
    m_active = true;
    // A failure to start comes through processError(), possibly from inside start().
    m_process->start();
}

void ProcessActor::interrupt(const RunError &)
{
    if (!m_active || !m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_terminated = true;
    m_process->terminate();
    m_killTimer.start(m_killTimeoutMs);
}

void ProcessActor::readStandardError()
{
    const QByteArray chunk = m_process->readAllStandardError();
    if (chunk.isEmpty())
        return;
    if (m_owned) {
        // Ours to read, so forwarded: nothing the process writes is lost.
        std::fwrite(chunk.constData(), 1, size_t(chunk.size()), stderr);
        std::fflush(stderr);
    }
    m_stderrTail += chunk;
    if (m_stderrTail.size() > kStderrTail)
        m_stderrTail = m_stderrTail.right(kStderrTail);
}

QString ProcessActor::describe() const
{
    return m_process ? m_process->program() : QString();
}

void ProcessActor::processFinished(int exitCode, QProcess::ExitStatus status)
{
    if (!std::exchange(m_active, false))
        return;
    m_killTimer.stop();
    readStandardError();
    QString tail = QString::fromLocal8Bit(m_stderrTail).trimmed();
    if (!tail.isEmpty())
        tail = QStringLiteral("; stderr: ") + tail;
    RunError error;
    if (m_killed) {
        error = RunError::timeout(QStringLiteral("RunGroup: Process %1 did not exit within %2 ms "
                                                 "of being terminated and was killed")
                                      .arg(describe())
                                      .arg(m_killTimeoutMs));
    } else if (status == QProcess::CrashExit) {
        // Ended by the SIGTERM of our own interrupt: it did as asked.
        if (!(m_terminated && exitCode == SIGTERM))
            error = RunError::failure(QStringLiteral("RunGroup: Process %1 crashed (signal %2)%3")
                                          .arg(describe())
                                          .arg(exitCode)
                                          .arg(tail));
    } else if (exitCode != 0) {
        error = RunError::failure(QStringLiteral("RunGroup: Process %1 exited with code %2%3")
                                      .arg(describe())
                                      .arg(exitCode)
                                      .arg(tail));
    }
    Q_EMIT exited(error);
}

void ProcessActor::processError(QProcess::ProcessError processError)
{
    // Other errors (a crash, a failed write) are followed by finished() or need nothing.
    if (processError != QProcess::FailedToStart || !std::exchange(m_active, false))
        return;
    Q_EMIT exited(RunError::failure(QStringLiteral("RunGroup: Cannot start process %1: %2")
                                        .arg(describe(), m_process->errorString())));
}

int RunGroup::addProcess(const QString &program, const QStringList &arguments, const QString &name,
                         int killTimeoutMs)
{
    Q_D(RunGroup);
    if (!d->canAdd("addProcess"))
        return -1;
    if (program.isEmpty()) {
        qCWarning(lcActors, "RunGroup::addProcess: The program is empty");
        return -1;
    }
    if (killTimeoutMs < 0) {
        qCWarning(lcActors, "RunGroup::addProcess: The kill timeout must not be negative");
        return -1;
    }
    auto *process = new QProcess;
    process->setProgram(program);
    process->setArguments(arguments);
    // Standard output is forwarded, as if we had run it from a shell; standard error is
    // read for the exit error's tail and forwarded to ours as it comes.
    process->setProcessChannelMode(QProcess::ForwardedOutputChannel);
    return (new ProcessActor(process, true, killTimeoutMs, this))
        ->addTo(this, name.isEmpty() ? QFileInfo(program).fileName() : name);
}

int RunGroup::addProcess(QProcess *process, const QString &name, int killTimeoutMs)
{
    Q_D(RunGroup);
    if (!d->canAdd("addProcess"))
        return -1;
    if (!process) {
        qCWarning(lcActors, "RunGroup::addProcess: The process is null");
        return -1;
    }
    if (process->thread() != thread()) {
        qCWarning(lcActors, "RunGroup::addProcess: The process must live on the group's thread");
        return -1;
    }
    if (process->state() != QProcess::NotRunning) {
        qCWarning(lcActors, "RunGroup::addProcess: The process is already running");
        return -1;
    }
    if (killTimeoutMs < 0) {
        qCWarning(lcActors, "RunGroup::addProcess: The kill timeout must not be negative");
        return -1;
    }
    return (new ProcessActor(process, false, killTimeoutMs, this))
        ->addTo(this, name.isEmpty() ? QFileInfo(process->program()).fileName() : name);
}

// ---------------------------------------------------------------------------------------
// Deadlines

namespace {
// A Qt 6.4 timer's interval is an int of milliseconds (QTimer::start(std::chrono::milliseconds)
// truncates to one): a longer deadline is waited for in steps of at most this much.
constexpr std::chrono::milliseconds kDefaultLongTimerStep{INT_MAX / 2};
std::atomic<std::chrono::milliseconds::rep> g_longTimerStep{kDefaultLongTimerStep.count()};
} // namespace

void RunGroupTesting::setLongTimerStep(std::chrono::milliseconds step)
{
    g_longTimerStep =
        (step > std::chrono::milliseconds::zero() ? step : kDefaultLongTimerStep).count();
}

TimeoutActor::TimeoutActor(std::chrono::milliseconds duration, RunGroup *group)
    : ActorAdaptor(group), m_duration(duration), m_timer(this)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_lastStep) {
            armNextStep();
            return;
        }
        Q_EMIT exited(RunError::timeout(QStringLiteral("RunGroup: The deadline of %1 ms passed")
                                            .arg(qint64(m_duration.count()))));
    });
}

void TimeoutActor::begin()
{
    m_started = std::chrono::steady_clock::now();
    armNextStep();
}

void TimeoutActor::armNextStep()
{
    using namespace std::chrono;
    // No overflow: the duration is positive and the time elapsed since begin() is far
    // smaller than either end of the range.
    const milliseconds elapsed = duration_cast<milliseconds>(steady_clock::now() - m_started);
    const milliseconds left = m_duration - std::min(elapsed, m_duration);
    const milliseconds step(g_longTimerStep.load());
    m_lastStep = left <= step;
    m_timer.start(int(std::min(left, step).count()));
}

void TimeoutActor::interrupt(const RunError &)
{
    if (m_timer.isActive()) {
        m_timer.stop();
        Q_EMIT exited(RunError());
    }
}

int RunGroup::addTimeout(std::chrono::milliseconds duration, const QString &name)
{
    Q_D(RunGroup);
    if (!d->canAdd("addTimeout"))
        return -1;
    if (duration <= std::chrono::milliseconds::zero()) {
        qCWarning(lcActors, "RunGroup::addTimeout: The duration must be positive, not %lld ms",
                  static_cast<long long>(duration.count()));
        return -1;
    }
    return (new TimeoutActor(duration, this))
        ->addTo(this, name.isEmpty() ? QStringLiteral("timeout") : name);
}

// ---------------------------------------------------------------------------------------
// Nested groups

GroupActor::GroupActor(RunGroup *child, RunGroup *group) : ActorAdaptor(group), m_child(child)
{
    connect(child, &RunGroup::finished, this, [this](const RunError &error) {
        if (std::exchange(m_active, false))
            Q_EMIT exited(error);
    });
    connect(child, &QObject::destroyed, this, [this] {
        if (std::exchange(m_active, false))
            Q_EMIT exited(RunError::canceled(
                QStringLiteral("RunGroup: The nested group was destroyed while running")));
    });
}

void GroupActor::begin()
{
    if (!m_child) {
        Q_EMIT exited(RunError::canceled(
            QStringLiteral("RunGroup: The nested group was destroyed before the run started")));
        return;
    }
    if (m_child->isRunning()) {
        Q_EMIT exited(
            RunError::failure(QStringLiteral("RunGroup: The nested group %1 was already running")
                                  .arg(m_child->objectName())));
        return;
    }
    m_active = true;
    m_child->start();
}

void GroupActor::interrupt(const RunError &error)
{
    // No effect if the child is already shutting down or finished.
    if (m_active && m_child)
        m_child->stop(error);
}

namespace {
// Returns true if group is target or nests it, directly or through nested groups.
bool nests(RunGroup *group, const RunGroup *target)
{
    if (group == target)
        return true;
    const auto actors = group->findChildren<GroupActor *>(Qt::FindDirectChildrenOnly);
    for (GroupActor *actor : actors) {
        if (RunGroup *child = actor->child(); child && nests(child, target))
            return true;
    }
    return false;
}
} // namespace

int RunGroup::addGroup(RunGroup *child, const QString &name)
{
    Q_D(RunGroup);
    if (!d->canAdd("addGroup"))
        return -1;
    if (!child) {
        qCWarning(lcActors, "RunGroup::addGroup: The group is null");
        return -1;
    }
    if (child == this) {
        qCWarning(lcActors, "RunGroup::addGroup: Cannot add a group to itself");
        return -1;
    }
    if (child->thread() != thread()) {
        qCWarning(lcActors,
                  "RunGroup::addGroup: The nested group must live on this group's thread");
        return -1;
    }
    if (child->isRunning()) {
        qCWarning(lcActors, "RunGroup::addGroup: The nested group is already running");
        return -1;
    }
    if (nests(child, this)) {
        qCWarning(lcActors,
                  "RunGroup::addGroup: The nested group contains this group: that is a cycle");
        return -1;
    }
    return (new GroupActor(child, this))->addTo(this, name.isEmpty() ? child->objectName() : name);
}

// ---------------------------------------------------------------------------------------
// Worker event-loop threads

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
    Q_D(RunGroup);
    if (!d->canAdd("addWorkerThread"))
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
