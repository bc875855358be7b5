// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Exit policies (what an actor's exit does to the run), restarts with their limit and
// backoff, and reload rounds. A group whose actors all keep the default policy, EndRun,
// takes none of these paths.

#include "rungroup_p.h"

#include "actormodel_p.h"
#include "handover_p.h"
#include "logging_p.h"

#include <QtCore/QDateTime>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QPointer>
#include <QtCore/QRandomGenerator>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>

#include <algorithm>
#include <climits>
#include <exception>

namespace {
qint64 monotonicMs()
{
    return QDeadlineTimer::current(Qt::CoarseTimer).deadline();
}

bool restarts(RunGroup::ExitPolicy policy, const RunError &error)
{
    switch (policy) {
    case RunGroup::ExitPolicy::EndRun:
    case RunGroup::ExitPolicy::EndRunOnError: return false;
    case RunGroup::ExitPolicy::RestartOnError: return error.isError();
    case RunGroup::ExitPolicy::Restart: return true;
    }
    return false;
}
} // namespace

// ---------------------------------------------------------------------------------------
// Configuration

void RunGroup::setExitPolicy(int index, ExitPolicy policy)
{
    Q_D(RunGroup);
    if (!d->canConfigure("setExitPolicy", index, "the exit policy"))
        return;
    ActorSpec &spec = d->specs[size_t(index)];
    const bool restarting = policy == ExitPolicy::Restart || policy == ExitPolicy::RestartOnError;
    if (restarting && !spec.restartable) {
        qCWarning(lcCore,
                  "RunGroup::setExitPolicy: %s cannot restart (a signal handler, a future, an "
                  "addObject() actor or a worker thread that deletes its objects cannot begin "
                  "again)",
                  qPrintable(d->actorLabel(index)));
        return;
    }
    spec.exitPolicy = policy;
}

RunGroup::ExitPolicy RunGroup::exitPolicy(int index) const
{
    Q_D(const RunGroup);
    if (index < 0 || index >= count())
        return ExitPolicy::EndRun;
    return d->specs[size_t(index)].exitPolicy;
}

void RunGroup::setRestartLimit(int index, int maxRestarts, std::chrono::milliseconds window)
{
    Q_D(RunGroup);
    if (!d->canConfigure("setRestartLimit", index, "the restart limit"))
        return;
    if (maxRestarts < 0) {
        qCWarning(lcCore, "RunGroup::setRestartLimit: The number of restarts must not be negative");
        return;
    }
    if (window.count() <= 0) {
        qCWarning(lcCore, "RunGroup::setRestartLimit: The window must be positive, not %lld ms",
                  static_cast<long long>(window.count()));
        return;
    }
    ActorSpec &spec = d->specs[size_t(index)];
    spec.maxRestarts = maxRestarts;
    spec.restartWindowMs = qint64(window.count());
}

void RunGroup::setRestartBackoff(int index, std::chrono::milliseconds initial,
                                 std::chrono::milliseconds max)
{
    Q_D(RunGroup);
    if (!d->canConfigure("setRestartBackoff", index, "the restart backoff")
        || !d->checkMs("setRestartBackoff", "initial backoff", initial.count())
        || !d->checkMs("setRestartBackoff", "longest backoff", max.count()))
        return;
    if (max < initial) {
        qCWarning(lcCore,
                  "RunGroup::setRestartBackoff: The longest backoff (%lld ms) must not be "
                  "shorter than the initial one (%lld ms)",
                  static_cast<long long>(max.count()), static_cast<long long>(initial.count()));
        return;
    }
    ActorSpec &spec = d->specs[size_t(index)];
    spec.backoffInitialMs = int(initial.count());
    spec.backoffMaxMs = int(max.count());
}

int RunGroup::restartCount(int index) const
{
    Q_D(const RunGroup);
    if (index < 0 || index >= int(d->runs.size()))
        return 0;
    return d->runs[size_t(index)].restarts;
}

// ---------------------------------------------------------------------------------------
// Exits and restarts

// What actor index's exit with error does while the run is Running. Counts the restart
// against the limit when it is one.
RunGroupPrivate::ExitOutcome RunGroupPrivate::exitOutcome(int index, const RunError &error)
{
    const ActorSpec &spec = specs[size_t(index)];
    if (spec.exitPolicy == RunGroup::ExitPolicy::EndRun)
        return ExitOutcome::EndRun;
    ActorRun &actor = runs[size_t(index)];
    if (restarts(spec.exitPolicy, error)) {
        const qint64 now = monotonicMs();
        while (!actor.restartTimes.empty()
               && now - actor.restartTimes.front() >= spec.restartWindowMs)
            actor.restartTimes.pop_front();
        if (int(actor.restartTimes.size()) >= spec.maxRestarts) {
            qCDebug(lcCore, "RunGroup: %s failed after %d restarts within %lld ms: the run ends",
                    qPrintable(actorLabel(index)), int(actor.restartTimes.size()),
                    static_cast<long long>(spec.restartWindowMs));
            return ExitOutcome::EndRun;
        }
        actor.restartTimes.push_back(now);
        return ExitOutcome::Restart;
    }
    if (error.isError())
        return ExitOutcome::EndRun;
    // A clean exit retires the actor, unless that would leave dependents waiting forever
    // for a readiness it never reached.
    if (!actor.ready && !dependents.empty() && !dependents[size_t(index)].empty())
        return ExitOutcome::EndRun;
    return ExitOutcome::Retire;
}

// The actor exited and starts again after its backoff. Its readiness starts anew: its
// dependents that have not started wait for it again.
void RunGroupPrivate::restartLater(int index, const RunError &error)
{
    Q_Q(RunGroup);
    const ActorSpec &spec = specs[size_t(index)];
    ActorRun &actor = runs[size_t(index)];
    releaseActor(index);
    if (actor.ready) {
        actor.ready = false;
        --readyCount;
    }
    actor.readyAnnounced = false;
    errors[index] = error; // errors() keeps the last error
    const qint64 now = monotonicMs();
    // An incarnation that stayed up for the longest backoff (at least a second) was healthy:
    // the backoff starts over.
    if (now - actor.incarnationStart >= std::max(spec.backoffMaxMs, 1000))
        actor.backoffStep = 0;
    double delay = spec.backoffInitialMs;
    for (int i = 0; i < actor.backoffStep && delay < spec.backoffMaxMs; ++i)
        delay *= 2;
    delay = std::min(delay, double(spec.backoffMaxMs));
    delay *= 0.8 + 0.4 * QRandomGenerator::global()->generateDouble(); // ±20% jitter
    const int delayMs = int(std::min(delay, double(INT_MAX)));
    ++actor.backoffStep;
    const int attempt = ++actor.restarts;
    actor.restarting = true;
    actor.nextAttempt = QDateTime::currentMSecsSinceEpoch() + delayMs;
    actor.restartTimer.start(delayMs, Qt::PreciseTimer, q); // never early: the jitter is the spread
    ++restartTimersActive;
    actorChanged(index);
    qCDebug(lcCore, "RunGroup: %s exited (%s); restart %d in %d ms", qPrintable(actorLabel(index)),
            qPrintable(error.toString()), attempt, delayMs);
    const quint64 run = generation;
    QPointer<RunGroup> guard(q);
    Q_EMIT q->errorsChanged();
    if (!guard || run != generation)
        return;
    Q_EMIT q->actorRestarting(index, error, attempt);
}

// A backoff wait ended: the actor starts again, announced as at start().
bool RunGroupPrivate::restartTimerEvent(int timerId)
{
    if (restartTimersActive == 0)
        return false;
    for (int i = 0; i < int(runs.size()); ++i) {
        ActorRun &actor = runs[size_t(i)];
        if (actor.restartTimer.timerId() != timerId)
            continue;
        actor.restartTimer.stop();
        if (state != RunGroup::State::Running)
            return true; // draining: cancelRestarts() reports it
        if (!dependenciesReady(i)) {
            actor.nextAttempt = 0; // once they are ready again: startWaitingActors()
            actorChanged(i);
            return true;
        }
        relaunch(i);
        announceLaunched();
        return true;
    }
    return false;
}

// The backoff is over and the dependencies are ready: the next incarnation launches.
void RunGroupPrivate::relaunch(int index)
{
    ActorRun &actor = runs[size_t(index)];
    --restartTimersActive;
    actor.restarting = false;
    actor.nextAttempt = 0;
    threadStartError = 0; // a failed thread creation earlier in the run is not final
    launch(index);
}

// The run ends: actors waiting to restart never do, and exit with their last error.
void RunGroupPrivate::cancelRestarts()
{
    if (restartTimersActive == 0)
        return;
    for (int i = 0; i < int(runs.size()); ++i) {
        ActorRun &actor = runs[size_t(i)];
        if (!actor.restarting)
            continue;
        actor.restartTimer.stop();
        actor.restarting = false;
        actor.nextAttempt = 0;
        exitQueue.push(ActorExit{generation, i, errors[i]});
    }
    restartTimersActive = 0;
}

// An actor retired (a clean exit under EndRunOnError or RestartOnError): the run goes on,
// unless it was the last actor, which ends it with no error.
void RunGroupPrivate::retired()
{
    if (remaining == 0 && state == RunGroup::State::Running)
        beginShutdown(RunError());
}

// ---------------------------------------------------------------------------------------
// Reload

void RunGroup::setReloadHandlerImpl(int index, RunGroupDetail::Interrupt handler)
{
    Q_D(RunGroup);
    if (!d->canConfigure("setReloadHandler", index, "the reload handler"))
        return;
    ActorSpec &spec = d->specs[size_t(index)];
    spec.reloadHandler =
        handler ? std::make_shared<const RunGroupDetail::Interrupt>(std::move(handler)) : nullptr;
}

void RunGroup::reload()
{
    Q_D(RunGroup);
    if (!d->checkThread("reload"))
        return;
    if (d->state != State::Running) {
        qCDebug(lcCore, "RunGroup::reload: Ignored: the group is %s",
                d->state == State::Interrupting ? "stopping" : "not running");
        return;
    }
    if (d->reloadRound > 0) {
        d->reloadAgain = true; // coalesced: one more round once this one is over
        return;
    }
    d->beginReload();
}

namespace {
// Counts one queued reload handler until it ran or was dropped with its context; keeps
// the run from finishing meanwhile, as an interrupt does.
class ReloadTicket
{
public:
    explicit ReloadTicket(std::shared_ptr<RunShared> shared)
        : m_shared(std::move(shared)), m_interrupt(m_shared)
    {
        m_shared->reloadQueued();
    }
    ~ReloadTicket() { m_shared->reloadSettled(); }
    Q_DISABLE_COPY_MOVE(ReloadTicket)

private:
    std::shared_ptr<RunShared> m_shared;
    InterruptTicket m_interrupt;
};
} // namespace

// A round: every reload handler of an actor that runs (started, not exited, not waiting
// to restart), queued to its interrupt's thread.
void RunGroupPrivate::beginReload()
{
    Q_Q(RunGroup);
    reloadAgain = false;
    std::vector<int> due;
    for (int i = 0; i < int(specs.size()); ++i) {
        const ActorRun &actor = runs[size_t(i)];
        if (specs[size_t(i)].reloadHandler && actor.started && !actor.exited && !actor.restarting)
            due.push_back(i);
    }
    const quint64 run = generation;
    QPointer<RunGroup> guard(q);
    Q_EMIT q->reloading();
    if (!guard || run != generation || state != RunGroup::State::Running)
        return;
    if (due.empty()) {
        Q_EMIT q->reloaded();
        return;
    }
    reloadRound = int(due.size());
    for (int i : due) {
        QObject *target = interruptTarget(i);
        if (!target) {
            --reloadRound; // its context is gone: nothing to call
            continue;
        }
        auto ticket = std::make_shared<ReloadTicket>(shared);
        postToContext(target, specs[size_t(i)].relay.get(),
                      [ticket, handler = specs[size_t(i)].reloadHandler, i] {
                          HandOverPrivate::received();
                          callGuarded("reload handler", i, *handler, RunError());
                      });
    }
    if (reloadRound == 0)
        reloadsSettled();
}

// Every handler of the round ran or was dropped (GroupEvent::reloadsSettled()).
void RunGroupPrivate::reloadsSettled()
{
    Q_Q(RunGroup);
    {
        std::lock_guard<std::mutex> lock(shared->mutex);
        shared->reloadsEventPending = false;
        if (shared->pendingReloads > 0)
            return; // a later round's handlers are still out
    }
    reloadRound = 0;
    if (state != RunGroup::State::Running) {
        reloadAgain = false;
        return;
    }
    if (reloadAgain) {
        beginReload();
        return;
    }
    Q_EMIT q->reloaded();
}
