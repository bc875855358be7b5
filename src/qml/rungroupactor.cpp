// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "rungroupactor_p.h"

#include "qmlrungroup_p.h"

#include <RunGroup/rungroup.h>

#include <QtCore/QLoggingCategory>
#include <QtCore/QThread>
#include <QtQml/QQmlInfo>

namespace {
// C++-side warnings of the QML types (the QML engine's own go to its "qml" category).
Q_LOGGING_CATEGORY(lcQml, "rungroup.qml", QtInfoMsg)
} // namespace

RunGroupActor::RunGroupActor(QObject *parent)
    : QObject(parent), d_ptr(new RunGroupActorPrivate(this))
{ }

RunGroupActor::~RunGroupActor() = default;

QString RunGroupActor::name() const
{
    Q_D(const RunGroupActor);
    return d->name;
}

void RunGroupActor::setName(const QString &name)
{
    Q_D(RunGroupActor);
    if (d->name == name)
        return;
    d->name = name;
    Q_EMIT nameChanged();
}

QObject *RunGroupActor::group() const
{
    Q_D(const RunGroupActor);
    return d->group.data();
}

int RunGroupActor::index() const
{
    Q_D(const RunGroupActor);
    return d->index;
}

bool RunGroupActor::isRunning() const
{
    Q_D(const RunGroupActor);
    return d->running;
}

RunError RunGroupActor::error() const
{
    Q_D(const RunGroupActor);
    return d->error;
}

QQmlListProperty<QObject> RunGroupActor::after()
{
    return QQmlListProperty<QObject>(
        this, nullptr, &RunGroupActorPrivate::appendAfter, &RunGroupActorPrivate::afterCount,
        &RunGroupActorPrivate::afterAt, &RunGroupActorPrivate::clearAfter,
        &RunGroupActorPrivate::replaceAfter, &RunGroupActorPrivate::removeLastAfter);
}

QList<QObject *> RunGroupActor::afterList() const
{
    Q_D(const RunGroupActor);
    QList<QObject *> list;
    list.reserve(d->after.size());
    for (const QPointer<QObject> &object : d->after)
        list.append(object.data());
    return list;
}

void RunGroupActor::setAfterList(const QList<QObject *> &actors)
{
    Q_D(RunGroupActor);
    if (afterList() == actors)
        return;
    d->after.clear();
    for (QObject *object : actors)
        d->after.append(object);
    d->afterListChanged();
}

bool RunGroupActor::requiresReady() const
{
    Q_D(const RunGroupActor);
    return d->requiresReady;
}

void RunGroupActor::setRequiresReady(bool requiresReady)
{
    Q_D(RunGroupActor);
    if (d->requiresReady == requiresReady)
        return;
    if (d->group) {
        qmlWarning(this) << "requiresReady cannot change once the actor is in its RunGroup";
        return;
    }
    d->requiresReady = requiresReady;
    Q_EMIT requiresReadyChanged();
}

bool RunGroupActor::isStarted() const
{
    Q_D(const RunGroupActor);
    return d->started;
}

bool RunGroupActor::isReady() const
{
    Q_D(const RunGroupActor);
    return d->ready;
}

int RunGroupActor::exitPolicy() const
{
    Q_D(const RunGroupActor);
    return d->exitPolicy;
}

namespace {
const char *exitPolicyName(int policy)
{
    switch (RunGroup::ExitPolicy(policy)) {
    case RunGroup::ExitPolicy::EndRun: return "RunGroup.EndRun";
    case RunGroup::ExitPolicy::EndRunOnError: return "RunGroup.EndRunOnError";
    case RunGroup::ExitPolicy::RestartOnError: return "RunGroup.RestartOnError";
    case RunGroup::ExitPolicy::Restart: return "RunGroup.Restart";
    }
    return "?";
}
} // namespace

void RunGroupActor::setExitPolicy(int policy)
{
    Q_D(RunGroupActor);
    if (policy < int(RunGroup::ExitPolicy::EndRun) || policy > int(RunGroup::ExitPolicy::Restart)) {
        qmlWarning(this) << "exitPolicy: " << policy
                         << " is not an exit policy (RunGroup.EndRun, RunGroup.EndRunOnError, "
                            "RunGroup.RestartOnError or RunGroup.Restart)";
        return;
    }
    if (d->exitPolicy == policy || !d->canChangeRestarts("exitPolicy"))
        return;
    d->exitPolicy = policy;
    Q_EMIT exitPolicyChanged();
    d->applyExitPolicy();
}

int RunGroupActor::maxRestarts() const
{
    Q_D(const RunGroupActor);
    return d->maxRestarts;
}

void RunGroupActor::setMaxRestarts(int maxRestarts)
{
    Q_D(RunGroupActor);
    if (maxRestarts < 0) {
        qmlWarning(this) << "maxRestarts must not be negative, not " << maxRestarts;
        return;
    }
    if (d->maxRestarts == maxRestarts || !d->canChangeRestarts("maxRestarts"))
        return;
    d->maxRestarts = maxRestarts;
    Q_EMIT maxRestartsChanged();
    d->applyRestartLimit();
}

double RunGroupActor::restartWindow() const
{
    Q_D(const RunGroupActor);
    return double(d->restartWindowMs);
}

void RunGroupActor::setRestartWindow(double ms)
{
    Q_D(RunGroupActor);
    std::chrono::milliseconds window;
    if (!qmlMilliseconds(this, "restartWindow", ms, 1, &window))
        return;
    if (d->restartWindowMs == window.count() || !d->canChangeRestarts("restartWindow"))
        return;
    d->restartWindowMs = window.count();
    Q_EMIT restartWindowChanged();
    d->applyRestartLimit();
}

double RunGroupActor::restartBackoff() const
{
    Q_D(const RunGroupActor);
    return double(d->restartBackoffMs);
}

void RunGroupActor::setRestartBackoff(double ms)
{
    Q_D(RunGroupActor);
    std::chrono::milliseconds backoff;
    if (!qmlMilliseconds(this, "restartBackoff", ms, 0, &backoff))
        return;
    if (d->restartBackoffMs == backoff.count() || !d->canChangeRestarts("restartBackoff"))
        return;
    d->restartBackoffMs = backoff.count();
    Q_EMIT restartBackoffChanged();
    d->applyRestartBackoff();
}

double RunGroupActor::restartBackoffMax() const
{
    Q_D(const RunGroupActor);
    return double(d->restartBackoffMaxMs);
}

void RunGroupActor::setRestartBackoffMax(double ms)
{
    Q_D(RunGroupActor);
    std::chrono::milliseconds backoff;
    if (!qmlMilliseconds(this, "restartBackoffMax", ms, 0, &backoff))
        return;
    if (d->restartBackoffMaxMs == backoff.count() || !d->canChangeRestarts("restartBackoffMax"))
        return;
    d->restartBackoffMaxMs = backoff.count();
    Q_EMIT restartBackoffMaxChanged();
    d->applyRestartBackoff();
}

int RunGroupActor::restarts() const
{
    Q_D(const RunGroupActor);
    return d->restarts;
}

void RunGroupActor::markReady()
{
    Q_D(RunGroupActor);
    if (QThread::currentThread() == thread()) {
        // The GUI thread is the only one that writes core: no lock, so that a handler of
        // actorReady() may mark again (and get the group's warning).
        if (!d->core) {
            qmlWarning(this) << "markReady() ignored: this actor is not inside a RunGroup";
            return;
        }
        d->core->markReady(d->coreIndex);
        return;
    }
    // A ThreadActor's execute(): the group queues the mark to its thread, for this run.
    std::lock_guard<std::mutex> lock(d->coreMutex);
    if (!d->core) {
        // A core index with no core: the group is being destroyed, too late to matter.
        if (d->coreIndex < 0)
            qCWarning(lcQml,
                      "RunGroupActor::markReady: Ignored: the actor is not inside a RunGroup");
        return;
    }
    d->core->markReady(d->coreIndex);
}

void RunGroupActor::classBegin() { }

void RunGroupActor::componentComplete()
{
    // A RunGroup adds its declared children before any component completes; one created
    // dynamically may still be pushed to a group's actors right after creation.
    QMetaObject::invokeMethod(
        this,
        [this] {
            Q_D(RunGroupActor);
            if (!d->group)
                qmlWarning(this) << "Not inside a RunGroup: this actor never runs";
        },
        Qt::QueuedConnection);
}

void RunGroupActor::aboutToStart() { }

void RunGroupActorPrivate::setMembership(QObject *newGroup, RunGroup *newCore, int newIndex)
{
    Q_Q(RunGroupActor);
    const bool groupChanged = group != newGroup;
    const bool indexChanged = index != newIndex;
    group = newGroup;
    index = newIndex;
    {
        std::lock_guard<std::mutex> lock(coreMutex);
        core = newCore;
        coreIndex = newIndex;
    }
    if (groupChanged)
        Q_EMIT q->groupChanged();
    if (indexChanged)
        Q_EMIT q->indexChanged();
}

void RunGroupActorPrivate::setRunning(bool newRunning)
{
    Q_Q(RunGroupActor);
    if (running == newRunning)
        return;
    running = newRunning;
    Q_EMIT q->runningChanged();
}

void RunGroupActorPrivate::setError(const RunError &newError)
{
    Q_Q(RunGroupActor);
    if (error == newError)
        return;
    error = newError;
    Q_EMIT q->errorChanged();
}

void RunGroupActorPrivate::setStarted(bool newStarted)
{
    Q_Q(RunGroupActor);
    if (started == newStarted)
        return;
    started = newStarted;
    Q_EMIT q->startedChanged();
}

void RunGroupActorPrivate::setReady(bool newReady)
{
    Q_Q(RunGroupActor);
    if (ready == newReady)
        return;
    ready = newReady;
    Q_EMIT q->readyChanged();
}

void RunGroupActorPrivate::setRestarts(int newRestarts)
{
    Q_Q(RunGroupActor);
    if (restarts == newRestarts)
        return;
    restarts = newRestarts;
    Q_EMIT q->restartsChanged();
}

bool RunGroupActorPrivate::canChangeRestarts(const char *property)
{
    Q_Q(RunGroupActor);
    if (core && core->isRunning()) {
        qmlWarning(q) << label() << ": " << property
                      << " cannot change while its RunGroup is running: ignored";
        return false;
    }
    return true;
}

void RunGroupActorPrivate::applyRestarts()
{
    applyExitPolicy();
    applyRestartLimit();
    applyRestartBackoff();
}

void RunGroupActorPrivate::applyExitPolicy()
{
    Q_Q(RunGroupActor);
    if (!core)
        return;
    core->setExitPolicy(coreIndex, RunGroup::ExitPolicy(exitPolicy));
    const int applied = int(core->exitPolicy(coreIndex));
    if (applied == exitPolicy)
        return;
    // The core refused a restarting policy with its own warning; say it in QML terms.
    qmlWarning(q) << label() << ": exitPolicy " << exitPolicyName(exitPolicy)
                  << " needs an actor that can start again (a ThreadActor): this one cannot "
                     "restart, exitPolicy stays "
                  << exitPolicyName(applied);
    exitPolicy = applied;
    Q_EMIT q->exitPolicyChanged();
}

void RunGroupActorPrivate::applyRestartLimit()
{
    if (core)
        core->setRestartLimit(coreIndex, maxRestarts, std::chrono::milliseconds(restartWindowMs));
}

void RunGroupActorPrivate::applyRestartBackoff()
{
    Q_Q(RunGroupActor);
    if (!core)
        return;
    if (restartBackoffMs > restartBackoffMaxMs) {
        qmlWarning(q) << label() << ": restartBackoff (" << restartBackoffMs
                      << " ms) must not be longer than restartBackoffMax (" << restartBackoffMaxMs
                      << " ms): the group keeps the previous backoff";
        return;
    }
    core->setRestartBackoff(coreIndex, std::chrono::milliseconds(restartBackoffMs),
                            std::chrono::milliseconds(restartBackoffMaxMs));
}

QString RunGroupActorPrivate::label() const
{
    if (index < 0)
        return name.isEmpty() ? QStringLiteral("actor") : QStringLiteral("actor %1").arg(name);
    return name.isEmpty() ? QStringLiteral("actor %1").arg(index)
                          : QStringLiteral("actor %1 (%2)").arg(index).arg(name);
}

void RunGroupActorPrivate::afterListChanged()
{
    Q_Q(RunGroupActor);
    afterDirty = true;
    if (auto *qmlGroup = static_cast<QmlRunGroup *>(group.data()))
        qmlGroup->afterChanged(q);
    Q_EMIT q->afterChanged();
}

void RunGroupActorPrivate::appendAfter(QQmlListProperty<QObject> *list, QObject *object)
{
    RunGroupActorPrivate *d = get(static_cast<RunGroupActor *>(list->object));
    d->after.append(object);
    d->afterListChanged();
}

qsizetype RunGroupActorPrivate::afterCount(QQmlListProperty<QObject> *list)
{
    return get(static_cast<RunGroupActor *>(list->object))->after.size();
}

QObject *RunGroupActorPrivate::afterAt(QQmlListProperty<QObject> *list, qsizetype index)
{
    const RunGroupActorPrivate *d = get(static_cast<RunGroupActor *>(list->object));
    return index >= 0 && index < d->after.size() ? d->after.at(index).data() : nullptr;
}

void RunGroupActorPrivate::clearAfter(QQmlListProperty<QObject> *list)
{
    RunGroupActorPrivate *d = get(static_cast<RunGroupActor *>(list->object));
    if (d->after.isEmpty())
        return;
    d->after.clear();
    d->afterListChanged();
}

void RunGroupActorPrivate::replaceAfter(QQmlListProperty<QObject> *list, qsizetype index,
                                        QObject *object)
{
    RunGroupActorPrivate *d = get(static_cast<RunGroupActor *>(list->object));
    if (index < 0 || index >= d->after.size())
        return;
    d->after[index] = object;
    d->afterListChanged();
}

void RunGroupActorPrivate::removeLastAfter(QQmlListProperty<QObject> *list)
{
    RunGroupActorPrivate *d = get(static_cast<RunGroupActor *>(list->object));
    if (d->after.isEmpty())
        return;
    d->after.removeLast();
    d->afterListChanged();
}
