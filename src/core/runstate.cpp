// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The group's state machine: launching actors, the one road of an exit (exitQueue) to
// actorExited(), the shutdown, the finish condition, and the waits of run() and
// ~RunGroup. Runs on the group's thread only.

#include "rungroup_p.h"

#include "actorjob_p.h"
#include "handover_p.h"
#include "logging_p.h"
#include "shutdownwatchdog_p.h"
#include "signalwatcher_p.h"
#include "threadpool_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QThread>

#include <cstring>

void RunGroupPrivate::startActor(int index)
{
    Q_Q(RunGroup);
    const ActorSpec &spec = specs[size_t(index)];
    ActorRun &actor = runs[size_t(index)];
    const quint64 run = generation;
    switch (spec.type) {
    case ActorSpec::Type::Thread: {
        if (threadStartError != 0) {
            // Creating more threads would fail the same way: these actors never start.
            postExit(index, RunError::canceled(
                                QStringLiteral("RunGroup: Actor %1 was not started because a "
                                               "thread could not be created for an earlier one")
                                    .arg(index)));
            break;
        }
        ActorJob &job = shared->jobs[size_t(index)];
        job.prepare(shared, q, index, actor.restarts, spec.execute, spec.name);
        const int result = ActorThreadPool::launch(&job, stackSize);
        if (result != 0) {
            job.release();
            threadStartError = result;
            postExit(index, RunError::failure(
                                QStringLiteral("RunGroup: Cannot start a thread for actor %1: %2")
                                    .arg(index)
                                    .arg(QString::fromLocal8Bit(std::strerror(result)))));
        }
        break;
    }
    case ActorSpec::Type::Object: {
        QObject *object = spec.object.data();
        if (!object) {
            // Destroyed before start(): exits as soon as the run has started.
            postExit(index, RunError::canceled());
            break;
        }
        // The object may live on another thread, which may destroy the slot functors.
        HandOverPrivate::PostScope handOver;
        actor.exitConnection = spec.connector(
            object, q, RunGroupDetail::ExitHandler([this, run, index](const RunError &e) {
                exitActor(run, index, e);
            }));
        // Queued: reported from the event loop, not from inside the object's destructor,
        // where a slot that destroys the group would spin ~RunGroup's loop and deliver the
        // half-destroyed object's pending events.
        actor.destroyedConnection = QObject::connect(
            object, &QObject::destroyed, q, HandOverPrivate::slot([this, run, index] {
                exitActor(run, index, RunError::canceled());
            }),
            Qt::QueuedConnection);
        break;
    }
    case ActorSpec::Type::Signal: {
        QString errorString;
        QList<int> watched = spec.signalNumbers;
        for (int n : spec.reloadSignals) {
            if (!watched.contains(n))
                watched.append(n);
        }
        actor.watcher.reset(SignalWatcher::create(watched, &errorString));
        if (!actor.watcher) {
            postExit(index, RunError::failure(errorString));
            break;
        }
        actor.watcher->setRepeating(spec.reloadSignals);
        // Queued: the exit deletes the watcher, which must not happen inside its own signal.
        QObject::connect(
            actor.watcher.get(), &SignalWatcher::received, q,
            [this, run, index](int signalNumber) {
                if (specs[size_t(index)].reloadSignals.contains(signalNumber)) {
                    if (run == generation)
                        q_ptr->reload(); // coalesced with a round under way
                    return;
                }
                exitActor(run, index, RunError::fromSignal(signalNumber));
            },
            Qt::QueuedConnection);
        break;
    }
    }
}

// ---------------------------------------------------------------------------------------
// The road of an exit: exitActor() or RunShared::postExit() -> exitQueue -> reportExits()
// -> reportExit() -> actorExited(); the first exit of a run then interrupts every actor.

RunGroupDetail::ExitHandler::ExitHandler(std::function<void(const RunError &)> report)
    : m_report(std::move(report))
{ }

// Qt may destroy it on the object's thread (see startActor()).
RunGroupDetail::ExitHandler::~ExitHandler()
{
    HandOverPrivate::received(); // m_report goes after this
}

// Called on the group's thread, which built it.
void RunGroupDetail::ExitHandler::operator()(const RunError &error) const
{
    if (m_report)
        m_report(error);
}

// An exit found while launching: through the inbox, as actor threads report theirs, so
// that it is reported from the event loop once the run has started, never inside start().
void RunGroupPrivate::postExit(int index, const RunError &error)
{
    shared->postExit(index, error);
}

// An exit seen on the group's thread (an object's exit signal or destruction, a signal, a
// signal handler's interrupt, the shutdown timeout, ~RunGroup canceling).
void RunGroupPrivate::exitActor(quint64 run, int index, const RunError &error)
{
    exitQueue.push(ActorExit{run, index, error});
    if (reportExits())
        maybeFinish();
}

// Handles GroupEvent::exitsPosted(): moves the inbox's exits to the queue.
void RunGroupPrivate::takePostedExits()
{
    std::lock_guard<std::mutex> lock(shared->mutex);
    shared->takeExitsLocked(exitQueue);
}

// Reports the queued exits in order, unless start() is still announcing the run. Returns
// false if the group was destroyed or another run began meanwhile (a slot connected to
// actorExited() did it); what is left in the queue then belongs to the destructor or is
// dropped as stale.
bool RunGroupPrivate::reportExits()
{
    if (starting)
        return true;
    QPointer<RunGroup> guard(q_ptr);
    const quint64 run = generation;
    while (!exitQueue.empty()) {
        const ActorExit exit = exitQueue.pop();
        reportExit(exit);
        if (!guard || run != generation)
            return false;
    }
    return true;
}

void RunGroupPrivate::reportExit(const ActorExit &exit)
{
    Q_Q(RunGroup);
    if (exit.run != generation
        || (state != RunGroup::State::Running && state != RunGroup::State::Interrupting))
        return;
    const int index = exit.index;
    ActorRun &actor = runs[size_t(index)];
    if (actor.exited)
        return;
    // While the run goes on, the actor's exit policy decides (restarts.cpp).
    const ExitOutcome outcome =
        state == RunGroup::State::Running ? exitOutcome(index, exit.error) : ExitOutcome::EndRun;
    if (outcome == ExitOutcome::Restart) {
        restartLater(index, exit.error);
        return;
    }
    actor.exited = true;
    releaseActor(index);
    errors[index] = exit.error;
    --remaining;
    actorChanged(index);
    // Running until the first exit that ends it (or stop()) makes the run Interrupting.
    const bool first = state == RunGroup::State::Running && outcome == ExitOutcome::EndRun;
    const quint64 run = generation;
    QPointer<RunGroup> guard(q);
    if (first) {
        // The run is Interrupting from its first exit on, and a stop() from a slot
        // connected to actorExited() cannot claim to be first.
        enterInterrupting(exit.error);
        if (!guard || run != generation)
            return;
    }
    Q_EMIT q->errorsChanged();
    Q_EMIT q->actorExited(index, exit.error);
    if (!guard || run != generation)
        return;
    if (first) {
        interruptAll();
        return;
    }
    if (outcome == ExitOutcome::Retire) {
        retired();
        return;
    }
    if (interruptsSent) {
        if (!sendDueInterrupts()) // its exit may let the interrupts of its dependencies go
            return;
    } else if (remaining == 0)
        endDrain(); // nothing left to drain
    maybeFinish();
}

// Drops what the run holds for an event-driven actor once it exited.
void RunGroupPrivate::releaseActor(int index)
{
    ActorRun &actor = runs[size_t(index)];
    QObject::disconnect(actor.exitConnection);
    QObject::disconnect(actor.destroyedConnection);
    // Second-signal policy: the exit guard takes over before the watcher lets go, so the
    // actor's signals end the process from now until finish().
    if (actor.watcher && secondSignalExits) {
        QString errorString;
        if (SignalWatcher *guard =
                SignalWatcher::createExitGuard(specs[size_t(index)].signalNumbers, &errorString))
            exitGuards.emplace_back(guard);
        else
            qCWarning(lcSignals, "RunGroup: %s", qPrintable(errorString));
    }
    actor.watcher.reset(); // restores the previous signal handlers
}

// ---------------------------------------------------------------------------------------
// Shutdown and finish

void RunGroupPrivate::beginShutdown(const RunError &error)
{
    QPointer<RunGroup> guard(q_ptr);
    const quint64 run = generation;
    enterInterrupting(error);
    if (guard && run == generation)
        interruptAll();
}

void RunGroupPrivate::enterInterrupting(const RunError &error)
{
    firstError = error;
    interruptsSent = false;
    drained = false;
    setState(RunGroup::State::Interrupting);
}

// The group's thread may be blocked (by an interrupt, a slot) when its timeout is due, and
// its timer with it: the watchdog ends the process if timeout() has not run a grace
// period later.
void RunGroupPrivate::armWatchdog()
{
    constexpr int graceMs = 1000;
    const RunError error = RunError::timeout(
        QStringLiteral("RunGroup: The shutdown did not finish within %1 ms").arg(shutdownTimeout));
    const int code = exitCodeFor(q_ptr, error);
    const QString name = q_ptr->objectName();
    QString errorString;
    watchdog = ShutdownWatchdog::arm(
        std::chrono::milliseconds(qint64(shutdownTimeout) + graceMs), code,
        QStringLiteral("RunGroup%1: The shutdown timeout of %2 ms passed %3 ms ago and the "
                       "group's thread is blocked: exiting with code %4")
            .arg(name.isEmpty() ? QString() : QStringLiteral(" ") + name)
            .arg(shutdownTimeout)
            .arg(graceMs)
            .arg(code),
        &errorString);
    if (!watchdog)
        qCWarning(lcCore, "%s", qPrintable(errorString));
}

void RunGroupPrivate::timeout()
{
    timeoutTimer.stop();
    watchdog.reset(); // this thread is not blocked: the timeout is handled here
    // The timeout is for actors: when only interrupts are left (every actor exited, one of
    // its interrupts blocks), finished() still waits for them, as it promises.
    if (state != RunGroup::State::Interrupting || remaining == 0)
        return;
    timedOut = true;
    // Left to end on their own thread: RunShared keeps what they touch alive. An actor whose
    // interrupt was still held back by its dependents says which stage was stuck.
    for (int i = 0; i < int(runs.size()); ++i) {
        if (runs[size_t(i)].exited)
            continue;
        QString message = QStringLiteral("RunGroup: Actor %1 did not exit within %2 ms")
                              .arg(i)
                              .arg(shutdownTimeout);
        if (!runs[size_t(i)].interruptQueued)
            message += QStringLiteral(": it was not interrupted yet, waiting for %1 to exit")
                           .arg(waitingFor(i));
        exitQueue.push(ActorExit{generation, i, RunError::timeout(message)});
    }
    // Every actor still gets its interrupt, once.
    if (sendDueInterrupts(true) && reportExits())
        maybeFinish();
}

// Whether every queued interrupt of the run was delivered or dropped. ~RunGroup called from
// an interrupt cannot wait for that interrupt to return.
bool RunGroupPrivate::interruptsSettled() const
{
    const int inProgress = destroying ? interruptsInProgressHere(shared.get()) : 0;
    std::lock_guard<std::mutex> lock(shared->mutex);
    return shared->pendingInterrupts <= inProgress;
}

// The one place that decides that a run is over: every actor exited, and finished()'s
// promise that every interrupt has run (or was dropped with its context) holds, unless
// the shutdown timed out or there is no event loop to run them.
void RunGroupPrivate::maybeFinish()
{
    if (state != RunGroup::State::Interrupting || !interruptsSent || remaining > 0)
        return;
    if (!timedOut && !withoutEventLoop && !interruptsSettled())
        return;
    finish();
}

void RunGroupPrivate::finish()
{
    Q_Q(RunGroup);
    timeoutTimer.stop();
    startupTimer.stop();
    drainTimer.stop();
    watchdog.reset();
    exitGuards.clear(); // the shutdown is over: the previous signal handlers are back
    {
        // Late exits of timed-out actors are dropped from now on.
        std::lock_guard<std::mutex> lock(shared->mutex);
        shared->receiver = nullptr;
        shared->finished.store(true, std::memory_order_release);
        shared->dropInbox();
    }
    exitQueue.clear();
    const bool errorChanged = lastError != firstError;
    lastError = firstError;
    const RunError error = firstError;
    QPointer<RunGroup> guard(q);
    setState(RunGroup::State::Finished);
    if (!guard)
        return;
    if (errorChanged)
        Q_EMIT q->errorChanged(error);
    if (guard)
        Q_EMIT q->finished(error);
}

void RunGroupPrivate::setState(RunGroup::State newState)
{
    Q_Q(RunGroup);
    if (state == newState)
        return;
    const bool wasRunning =
        state == RunGroup::State::Running || state == RunGroup::State::Interrupting;
    state = newState;
    const bool running =
        state == RunGroup::State::Running || state == RunGroup::State::Interrupting;
    QPointer<RunGroup> guard(q);
    Q_EMIT q->stateChanged(newState);
    if (guard && wasRunning != running)
        Q_EMIT q->runningChanged(running);
}

// ---------------------------------------------------------------------------------------
// Waiting: run(), and ~RunGroup, which cannot wait for an event loop it is blocking.

// Threaded actors that were interrupted and have not exited: what ~RunGroup may still wait
// for. One held back by a dependent (a staged stop) cannot exit before that dependent.
int RunGroupPrivate::interruptedThreadsRunning() const
{
    int count = 0;
    for (size_t i = 0; i < runs.size(); ++i) {
        if (specs[i].type == ActorSpec::Type::Thread && !runs[i].exited && runs[i].interruptQueued)
            ++count;
    }
    return count;
}

// For ~RunGroup: every interrupted threaded actor has returned and been reported, and every
// interrupt has settled, so the interrupted event-driven actors still running could only
// exit through the event loop the destructor blocks (the threads still running are held
// back by them).
bool RunGroupPrivate::onlyEventActorsLeft() const
{
    if (interruptedThreadsRunning() != 0 || !exitQueue.empty() || !interruptsSettled())
        return false;
    return shared->inboxEmpty();
}

// Cancels the event-driven actors still running: all of them, or (interruptedOnly) those
// whose interrupt went out; their exits let the interrupts of the actors they held back go.
void RunGroupPrivate::cancelRemainingEventActors(bool interruptedOnly)
{
    for (int i = 0; i < int(runs.size()); ++i) {
        const ActorRun &actor = runs[size_t(i)];
        if (specs[size_t(i)].type != ActorSpec::Type::Thread && !actor.exited
            && (actor.interruptQueued || !interruptedOnly))
            exitQueue.push(ActorExit{generation, i, RunError::canceled()});
    }
    if (reportExits())
        maybeFinish();
}

// Delivers this thread's pending events, or waits for one.
void RunGroupPrivate::waitForEvents(QEventLoop &loop)
{
    // Called from a posted event (a queued slot or interrupt), Qt's GLib dispatcher does
    // not deliver from a nested loop the events already queued behind that one until
    // something new is posted: the exits and interrupts waited for may be among them.
    QPointer<RunGroup> guard(q_ptr);
    QCoreApplication::sendPostedEvents();
    if (guard && state != RunGroup::State::Finished)
        loop.processEvents(QEventLoop::WaitForMoreEvents);
}

// ~RunGroup with no QCoreApplication (never made, or destroyed before the group): Qt
// delivers no event, so exits are taken from RunShared directly and waited for on its
// condition variable, never by spinning. Event-driven actors could only exit through
// events: they are canceled, which also restores the signal handlers, so a SIGTERM ends a
// process whose threads ignore their interrupts. The shutdown timeout still applies.
void RunGroupPrivate::finishWithoutEventLoop()
{
    cancelRemainingEventActors(false);
    const QDeadlineTimer deadline = shutdownTimeout > 0
                                        ? QDeadlineTimer(shutdownTimeout, Qt::PreciseTimer)
                                        : QDeadlineTimer(QDeadlineTimer::Forever);
    while (state != RunGroup::State::Finished) {
        {
            std::unique_lock<std::mutex> lock(shared->mutex);
            const auto exited = [this] { return !shared->inboxEmpty(); };
            if (deadline.isForever())
                shared->woken.wait(lock, exited);
            else
                shared->woken.wait_until(lock, deadline.deadline<std::chrono::steady_clock>(),
                                         exited);
            shared->takeExitsLocked(exitQueue);
        }
        if (reportExits())
            maybeFinish();
        if (state != RunGroup::State::Finished && deadline.hasExpired())
            timeout();
    }
}
