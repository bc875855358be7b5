// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Ordered start and stop: readiness, dependencies, the startup timeout, and which
// interrupts are due. A group in which no actor has dependencies takes none of these
// paths but the readiness bookkeeping, and runs exactly as in 1.0.

#include "rungroup_p.h"

#include "actorjob_p.h"
#include "actormodel_p.h"
#include "logging_p.h"

#include <RunGroup/handover.h>

#include <QtCore/QDateTime>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QThread>

#include <climits>

// ---------------------------------------------------------------------------------------
// Configuration

namespace {
// Whether from can reach to by following dependencies.
bool reaches(const std::vector<ActorSpec> &specs, int from, int to, std::vector<char> &seen)
{
    if (from == to)
        return true;
    if (seen[size_t(from)])
        return false;
    seen[size_t(from)] = 1;
    for (int next : specs[size_t(from)].dependencies) {
        if (reaches(specs, next, to, seen))
            return true;
    }
    return false;
}
} // namespace

QString RunGroupPrivate::actorLabel(int index) const
{
    const QString &name = specs[size_t(index)].name;
    return name.isEmpty() ? QStringLiteral("actor %1").arg(index)
                          : QStringLiteral("actor %1 (%2)").arg(index).arg(name);
}

bool RunGroup::setDependencies(int index, const QList<int> &dependencies)
{
    Q_D(RunGroup);
    if (!d->canConfigure("setDependencies", index))
        return false;
    QList<int> unique;
    for (int dependency : dependencies) {
        if (dependency < 0 || dependency >= count()) {
            qCWarning(lcCore,
                      "RunGroup::setDependencies: %s cannot depend on actor %d: no such "
                      "actor",
                      qPrintable(d->actorLabel(index)), dependency);
            return false;
        }
        if (dependency == index) {
            qCWarning(lcCore, "RunGroup::setDependencies: %s cannot depend on itself",
                      qPrintable(d->actorLabel(index)));
            return false;
        }
        if (!unique.contains(dependency))
            unique.append(dependency);
    }
    // A cycle through the new edges: a dependency that already (transitively) depends on
    // index.
    for (int dependency : std::as_const(unique)) {
        std::vector<char> seen(d->specs.size());
        const QList<int> previous = std::exchange(d->specs[size_t(index)].dependencies, {});
        const bool cycle = reaches(d->specs, dependency, index, seen);
        d->specs[size_t(index)].dependencies = previous;
        if (cycle) {
            qCWarning(lcCore,
                      "RunGroup::setDependencies: %s cannot depend on %s, which depends on it: "
                      "that would make a cycle",
                      qPrintable(d->actorLabel(index)), qPrintable(d->actorLabel(dependency)));
            return false;
        }
    }
    d->specs[size_t(index)].dependencies = unique;
    if (d->model)
        d->model->actorChanged(index);
    return true;
}

QList<int> RunGroup::dependencies(int index) const
{
    Q_D(const RunGroup);
    if (index < 0 || index >= count())
        return {};
    return d->specs[size_t(index)].dependencies;
}

void RunGroup::requireReady(int index)
{
    Q_D(RunGroup);
    if (d->canConfigure("requireReady", index))
        d->specs[size_t(index)].requiresReady = true;
}

bool RunGroup::isReady(int index) const
{
    Q_D(const RunGroup);
    if (index < 0 || index >= int(d->runs.size()))
        return false;
    return d->runs[size_t(index)].ready;
}

bool RunGroup::requiresReady(int index) const
{
    Q_D(const RunGroup);
    return index >= 0 && index < count() && d->specs[size_t(index)].requiresReady;
}

bool RunGroup::isStarted(int index) const
{
    Q_D(const RunGroup);
    return index >= 0 && index < int(d->runs.size()) && d->runs[size_t(index)].started;
}

int RunGroup::startupTimeout() const
{
    Q_D(const RunGroup);
    return d->startupTimeout;
}

void RunGroup::setStartupTimeout(int ms)
{
    setStartupTimeout(std::chrono::milliseconds(ms));
}

void RunGroup::setStartupTimeout(std::chrono::milliseconds timeout)
{
    Q_D(RunGroup);
    if (d->checkThread("setStartupTimeout")
        && d->checkMs("setStartupTimeout", "timeout", timeout.count()))
        d->startupTimeout = int(timeout.count());
}

QAbstractItemModel *RunGroup::actorModel() const
{
    Q_D(const RunGroup);
    if (!d->model)
        const_cast<RunGroupPrivate *>(d)->model = new ActorModel(const_cast<RunGroup *>(this));
    return d->model;
}

// ---------------------------------------------------------------------------------------
// Readiness

void RunGroup::markReady(int index)
{
    Q_D(RunGroup);
    if (QThread::currentThread() != thread()) {
        // From an actor thread of this group, the mark belongs to that actor's run: a late
        // one (the run timed out and finished) must not count for the next run.
        // From its own thread, to one incarnation: a late mark of one that failed never
        // counts for its restart.
        int executing = -1;
        int incarnation = -1;
        const quint64 run = ActorJob::currentRun(this, &executing, &incarnation);
        if (executing != index)
            incarnation = -1;
        HandOver::post(
            this, [d, run, index, incarnation] { d->markReadyNow(run, index, true, incarnation); });
        return;
    }
    d->markReadyNow(0, index, false, -1);
}

// run: the run the mark belongs to, or 0 for the current one. queued: it was made on
// another thread, which could not know that the run has ended or the actor exited (or
// restarted) since. incarnation: made by the actor's own execute, after that many restarts
// (-1: by another thread).
void RunGroupPrivate::markReadyNow(quint64 run, int index, bool queued, int incarnation)
{
    if (run != 0 && run != generation)
        return; // a timed-out actor of an earlier run
    if (incarnation >= 0 && size_t(index) < runs.size()
        && runs[size_t(index)].restarts != incarnation)
        return; // an incarnation that failed since: its restart must say so itself
    if (index < 0 || index >= int(specs.size())) {
        qCWarning(lcCore, "RunGroup::markReady: There is no actor %d", index);
        return;
    }
    if (state == RunGroup::State::Interrupting)
        return; // too late to matter: nothing starts during a shutdown
    const bool ended = state != RunGroup::State::Running || index >= int(runs.size());
    if (queued && (ended || runs[size_t(index)].exited || runs[size_t(index)].restarting))
        return; // the run went on meanwhile: the mark no longer matters
    if (ended) {
        qCWarning(lcCore, "RunGroup::markReady: The group is not running");
        return;
    }
    const ActorRun &actor = runs[size_t(index)];
    const char *problem = nullptr;
    if (!specs[size_t(index)].requiresReady)
        problem = "does not require readiness (it is ready once started)";
    else if (actor.exited)
        problem = "has exited";
    else if (actor.restarting)
        problem = "is waiting to restart";
    else if (!actor.started)
        problem = "has not started";
    else if (actor.ready)
        problem = "is already ready";
    if (problem) {
        qCWarning(lcCore, "RunGroup::markReady: %s %s", qPrintable(actorLabel(index)), problem);
        return;
    }
    becameReady(index);
}

void RunGroupPrivate::becameReady(int index)
{
    Q_Q(RunGroup);
    runs[size_t(index)].ready = true;
    if (++readyCount == int(specs.size()))
        startupTimer.stop();
    actorChanged(index);
    if (starting) {
        pendingReady.push_back(index); // start() announces it after started()
        return;
    }
    const quint64 run = generation;
    QPointer<RunGroup> guard(q);
    runs[size_t(index)].readyAnnounced = true;
    Q_EMIT q->actorReady(index);
    if (!guard || run != generation)
        return;
    startWaitingActors();
    announceLaunched();
}

// Whether every dependency of index is ready and said so: a dependent is never announced
// before its dependencies' actorReady().
bool RunGroupPrivate::dependenciesReady(int index) const
{
    for (int dependency : specs[size_t(index)].dependencies) {
        if (!runs[size_t(dependency)].readyAnnounced)
            return false;
    }
    return true;
}

// Launches every waiting actor whose dependencies are ready, in add order.
void RunGroupPrivate::startWaitingActors()
{
    if (state != RunGroup::State::Running || dependents.empty())
        return;
    for (int i = 0; i < int(specs.size()); ++i) {
        const ActorRun &actor = runs[size_t(i)];
        if (!actor.started && !actor.exited && dependenciesReady(i))
            launch(i);
        else if (actor.restarting && !actor.restartTimer.isActive() && dependenciesReady(i))
            relaunch(i); // its backoff ended while a dependency was restarting
    }
}

// An actor that does not require readiness becomes ready when its start is announced
// (announceLaunched()), not here: its dependents must not start, nor be announced, before
// its actorReady().
void RunGroupPrivate::launch(int index)
{
    ActorRun &actor = runs[size_t(index)];
    actor.started = true;
    if (specs[size_t(index)].exitPolicy != RunGroup::ExitPolicy::EndRun)
        actor.incarnationStart = QDeadlineTimer::current(Qt::CoarseTimer).deadline();
    actorChanged(index);
    launched.push_back(index);
    startActor(index);
}

// Tells the world about the actors launched since the last call, in launch order: a
// ready-made actor begins its work, actorStarted(), and actorReady() for those ready once
// started; then actorReady() for actors marked ready while start() was announcing the run,
// whose dependents then start too. Returns false if the group was destroyed or another run
// began meanwhile.
bool RunGroupPrivate::announceLaunched()
{
    Q_Q(RunGroup);
    const quint64 run = generation;
    QPointer<RunGroup> guard(q);
    const auto gone = [&] { return !guard || run != generation; };
    // Cursors, not erase(begin()) (10,000 actors start in one start()), and members: a
    // nested call (from a slot) goes on where this one is and ends the lists for both.
    while (nextLaunched < launched.size() || nextReady < pendingReady.size()) {
        if (nextLaunched < launched.size()) {
            const int index = launched[nextLaunched++];
            if (const auto &onStart = specs[size_t(index)].onStart)
                onStart();
            if (gone())
                return false;
            Q_EMIT q->actorStarted(index);
            if (gone())
                return false;
            ActorRun &actor = runs[size_t(index)];
            if (!specs[size_t(index)].requiresReady && !actor.exited && !actor.ready) {
                actor.ready = true;
                if (++readyCount == int(specs.size()))
                    startupTimer.stop();
                actorChanged(index);
                actor.readyAnnounced = true;
                Q_EMIT q->actorReady(index);
                if (gone())
                    return false;
                startWaitingActors(); // its dependents, announced after it
            }
            continue;
        }
        const int index = pendingReady[nextReady++];
        runs[size_t(index)].readyAnnounced = true;
        Q_EMIT q->actorReady(index);
        if (gone())
            return false;
        startWaitingActors();
    }
    launched.clear();
    pendingReady.clear();
    nextLaunched = 0;
    nextReady = 0;
    return true;
}

void RunGroupPrivate::startupTimedOut()
{
    startupTimer.stop();
    if (state != RunGroup::State::Running || readyCount == int(specs.size()))
        return;
    QStringList notReady;
    for (int i = 0; i < int(specs.size()); ++i) {
        if (!runs[size_t(i)].ready)
            notReady.append(specs[size_t(i)].name.isEmpty() ? QStringLiteral("actor %1").arg(i)
                                                            : specs[size_t(i)].name);
    }
    beginShutdown(RunError::timeout(QStringLiteral("RunGroup: Not every actor was ready within "
                                                   "%1 ms: %2 not ready")
                                        .arg(startupTimeout)
                                        .arg(notReady.join(QStringLiteral(", ")))));
}

// ---------------------------------------------------------------------------------------
// Stop

void RunGroupPrivate::computeDependents()
{
    dependents.clear();
    const int n = int(specs.size());
    bool any = false;
    for (const ActorSpec &spec : specs)
        any = any || !spec.dependencies.isEmpty();
    if (!any)
        return;
    // Direct dependents first, then everything reachable from them.
    std::vector<std::vector<int>> direct{size_t(n)};
    for (int i = 0; i < n; ++i) {
        for (int dependency : specs[size_t(i)].dependencies)
            direct[size_t(dependency)].push_back(i);
    }
    dependents.resize(size_t(n));
    for (int i = 0; i < n; ++i) {
        std::vector<char> seen(static_cast<size_t>(n), 0);
        std::vector<int> stack = direct[size_t(i)];
        while (!stack.empty()) {
            const int next = stack.back();
            stack.pop_back();
            if (seen[size_t(next)])
                continue;
            seen[size_t(next)] = 1;
            dependents[size_t(i)].push_back(next);
            stack.insert(stack.end(), direct[size_t(next)].begin(), direct[size_t(next)].end());
        }
    }
}

// Whether actor index may be interrupted: every actor that depends on it has exited.
bool RunGroupPrivate::interruptDue(int index) const
{
    if (dependents.empty())
        return true;
    for (int dependent : dependents[size_t(index)]) {
        if (!runs[size_t(dependent)].exited)
            return false;
    }
    return true;
}

// The actors that keep index's interrupt back, for the shutdown timeout's message.
QString RunGroupPrivate::waitingFor(int index) const
{
    QStringList names;
    if (!dependents.empty()) {
        for (int dependent : dependents[size_t(index)]) {
            if (!runs[size_t(dependent)].exited)
                names.append(actorLabel(dependent));
        }
    }
    return names.join(QStringLiteral(", "));
}

// At the shutdown: actors still waiting for their dependencies never start.
void RunGroupPrivate::cancelWaitingActors()
{
    for (int i = 0; i < int(runs.size()); ++i) {
        const ActorRun &actor = runs[size_t(i)];
        if (!actor.started && !actor.exited)
            exitQueue.push(ActorExit{
                generation, i,
                RunError::canceled(QStringLiteral("RunGroup: Actor %1 did not start: the run "
                                                  "ended before its dependencies were ready")
                                       .arg(i))});
    }
}

void RunGroupPrivate::actorChanged(int index)
{
    if (size_t(index) < runs.size())
        runs[size_t(index)].since = QDateTime::currentMSecsSinceEpoch();
    if (model)
        model->actorChanged(index);
}
