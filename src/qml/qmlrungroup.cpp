// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "qmlrungroup_p.h"

#include "rungroupactor_p.h"

#include <RunGroup/rungroup.h>

#include <QtCore/QLocale>
#include <QtCore/QLoggingCategory>
#include <QtQml/QQmlInfo>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>

namespace {
// C++-side warnings of the QML types (the QML engine's own go to its "qml" category).
Q_LOGGING_CATEGORY(lcQml, "rungroup.qml", QtInfoMsg)
} // namespace

static_assert(int(QmlRunGroup::State::Idle) == int(RunGroup::State::Idle)
              && int(QmlRunGroup::State::Running) == int(RunGroup::State::Running)
              && int(QmlRunGroup::State::Interrupting) == int(RunGroup::State::Interrupting)
              && int(QmlRunGroup::State::Finished) == int(RunGroup::State::Finished));
static_assert(int(QmlRunGroup::ExitPolicy::EndRun) == int(RunGroup::ExitPolicy::EndRun)
              && int(QmlRunGroup::ExitPolicy::EndRunOnError)
                     == int(RunGroup::ExitPolicy::EndRunOnError)
              && int(QmlRunGroup::ExitPolicy::RestartOnError)
                     == int(RunGroup::ExitPolicy::RestartOnError)
              && int(QmlRunGroup::ExitPolicy::Restart) == int(RunGroup::ExitPolicy::Restart));

QmlRunGroup::QmlRunGroup(QObject *parent) : QObject(parent), m_group(new RunGroup)
{
    connect(m_group, &RunGroup::started, this, &QmlRunGroup::started);
    connect(m_group, &RunGroup::actorStarted, this, &QmlRunGroup::onActorStarted);
    connect(m_group, &RunGroup::actorReady, this, &QmlRunGroup::onActorReady);
    connect(m_group, &RunGroup::actorExited, this, &QmlRunGroup::onActorExited);
    connect(m_group, &RunGroup::finished, this, &QmlRunGroup::onFinished);
    connect(m_group, &RunGroup::stateChanged, this, &QmlRunGroup::stateChanged);
    connect(m_group, &RunGroup::runningChanged, this, &QmlRunGroup::runningChanged);
    connect(m_group, &RunGroup::errorChanged, this, &QmlRunGroup::errorChanged);
    connect(m_group, &RunGroup::errorsChanged, this, &QmlRunGroup::errorsChanged);
    connect(m_group, &RunGroup::shutdownTimeoutChanged, this, &QmlRunGroup::shutdownTimeoutChanged);
    connect(m_group, &RunGroup::actorRestarting, this, &QmlRunGroup::onActorRestarting);
    connect(m_group, &RunGroup::reloading, this, &QmlRunGroup::reloading);
    connect(m_group, &RunGroup::reloaded, this, &QmlRunGroup::reloaded);
}

QmlRunGroup::~QmlRunGroup()
{
    // The group's signals stop reaching QML, and interrupted actors end without running
    // their handlers; then ~RunGroup stops and joins while every actor is still alive.
    disconnect(m_group, nullptr, this, nullptr);
    // markReady() from an actor thread finds no group from here on, and says nothing.
    for (const QPointer<RunGroupActor> &actor : std::as_const(m_actors)) {
        if (!actor)
            continue;
        RunGroupActorPrivate *d = RunGroupActorPrivate::get(actor);
        d->groupDestroying = true;
        std::lock_guard<std::mutex> lock(d->coreMutex);
        d->core = nullptr;
    }
    delete m_group;
    // Quietly: bindings re-evaluated now would find this group half gone. Declared actors
    // are destroyed next anyway; group() of any other one reads null from here on.
    for (const QPointer<RunGroupActor> &actor : std::as_const(m_actors)) {
        if (!actor)
            continue;
        RunGroupActorPrivate *d = RunGroupActorPrivate::get(actor);
        d->groupDestroying = false;
        d->running = false;
        d->index = -1;
    }
}

QQmlListProperty<QObject> QmlRunGroup::actors()
{
    return QQmlListProperty<QObject>(this, nullptr, &QmlRunGroup::appendActor,
                                     &QmlRunGroup::actorCount, &QmlRunGroup::actorAtIndex, nullptr);
}

void QmlRunGroup::appendActor(QQmlListProperty<QObject> *list, QObject *object)
{
    static_cast<QmlRunGroup *>(list->object)->append(object);
}

qsizetype QmlRunGroup::actorCount(QQmlListProperty<QObject> *list)
{
    return static_cast<QmlRunGroup *>(list->object)->m_actors.size();
}

QObject *QmlRunGroup::actorAtIndex(QQmlListProperty<QObject> *list, qsizetype index)
{
    return static_cast<QmlRunGroup *>(list->object)->actorAt(int(index));
}

void QmlRunGroup::append(QObject *object)
{
    if (!object)
        return;
    auto *actor = qobject_cast<RunGroupActor *>(object);
    if (!actor) {
        qmlWarning(object) << "RunGroup ignores this child (" << object->metaObject()->className()
                           << "): it is not an actor (Actor, SignalActor or a ThreadActor)";
        return;
    }
    if (RunGroupActorPrivate::get(actor)->group || m_pending.contains(actor)) {
        qmlWarning(actor) << "This actor already belongs to a RunGroup: ignored";
        return;
    }
    if (!actor->parent())
        actor->setParent(this); // the group outlives its actors' runs
    if (!m_complete) {
        m_pending.append(actor);
    } else {
        join(actor);
        applyOrdering();
    }
}

void QmlRunGroup::join(RunGroupActor *actor)
{
    if (isRunning()) {
        qmlWarning(actor) << "Cannot add an actor while its RunGroup is running: ignored";
        return;
    }
    const int index = actor->addTo(m_group); // the group warns when it refuses
    if (index < 0) {
        qmlWarning(actor) << "This actor could not join its RunGroup: ignored";
        return;
    }
    Q_ASSERT(index == m_actors.size());
    RunGroupActorPrivate *d = RunGroupActorPrivate::get(actor);
    if (d->requiresReady)
        m_group->requireReady(index);
    // The reload round calls it where the actor's interrupt goes: the GUI thread.
    m_group->setReloadHandler(index, [actor = QPointer<RunGroupActor>(actor)] {
        if (actor && !RunGroupActorPrivate::get(actor)->groupDestroying)
            Q_EMIT actor->reload();
    });
    // The actors that name this one in after may now depend on it.
    for (const QPointer<RunGroupActor> &other : std::as_const(m_actors)) {
        if (!other)
            continue;
        RunGroupActorPrivate *od = RunGroupActorPrivate::get(other);
        if (std::any_of(od->after.cbegin(), od->after.cend(),
                        [actor](const QPointer<QObject> &entry) { return entry == actor; }))
            od->afterDirty = true;
    }
    d->afterDirty = true;
    m_actors.append(actor);
    d->setMembership(this, m_group, index);
    d->applyRestarts();
    // Not the group's own countChanged: that comes before the actor is in the list.
    Q_EMIT countChanged();
}

QmlRunGroup::State QmlRunGroup::state() const
{
    return State(m_group->state());
}

bool QmlRunGroup::isRunning() const
{
    return m_group->isRunning();
}

void QmlRunGroup::setRunning(bool running)
{
    if (!m_complete) {
        m_startWhenComplete = running;
        return;
    }
    if (!running) {
        stop();
    } else if (!isRunning()) {
        start();
    } else if (state() == State::Interrupting) {
        m_restartPending = true; // started again by onFinished()
    }
}

int QmlRunGroup::count() const
{
    return m_group->count();
}

RunError QmlRunGroup::error() const
{
    return m_group->error();
}

QVariantList QmlRunGroup::errors() const
{
    QVariantList list;
    const QList<RunError> all = m_group->errors();
    list.reserve(all.size());
    for (const RunError &error : all)
        list.append(QVariant::fromValue(error));
    return list;
}

double QmlRunGroup::shutdownTimeout() const
{
    return m_group->shutdownTimeout();
}

namespace {
// A QML number of milliseconds for the core's std::chrono overloads. shutdownTimeout (1.0)
// passes any finite number within qint64's range to the core, which refuses negative
// values and those above INT_MAX with its own warnings; the 1.1 properties refuse those
// here (inRange), naming the property.
bool toMilliseconds(QObject *object, const char *property, double ms, bool inRange,
                    std::chrono::milliseconds *result)
{
    if (inRange)
        return qmlMilliseconds(object, property, ms, 0, result);
    constexpr double kLimit = 9.0e18; // below 2^63
    if (!std::isfinite(ms) || std::round(ms) < -kLimit || std::round(ms) > kLimit) {
        qmlWarning(object) << property << " must be a number of milliseconds from 0 to " << INT_MAX
                           << ", not " << QString::number(ms, 'g', QLocale::FloatingPointShortest);
        return false;
    }
    *result = std::chrono::milliseconds(qint64(std::round(ms)));
    return true;
}
} // namespace

bool qmlMilliseconds(QObject *object, const char *property, double ms, int low,
                     std::chrono::milliseconds *result)
{
    if (!std::isfinite(ms) || std::round(ms) < low || std::round(ms) > double(INT_MAX)) {
        qmlWarning(object) << property << " must be a number of milliseconds from " << low << " to "
                           << INT_MAX << ", not "
                           << QString::number(ms, 'g', QLocale::FloatingPointShortest);
        return false;
    }
    *result = std::chrono::milliseconds(qint64(std::round(ms)));
    return true;
}

void QmlRunGroup::setShutdownTimeout(double ms)
{
    std::chrono::milliseconds timeout;
    if (toMilliseconds(this, "shutdownTimeout", ms, false, &timeout))
        m_group->setShutdownTimeout(timeout); // emits shutdownTimeoutChanged() if it changed
}

double QmlRunGroup::startupTimeout() const
{
    return m_group->startupTimeout();
}

void QmlRunGroup::setStartupTimeout(double ms)
{
    std::chrono::milliseconds timeout;
    if (!toMilliseconds(this, "startupTimeout", ms, true, &timeout))
        return;
    const int before = m_group->startupTimeout();
    m_group->setStartupTimeout(timeout);
    if (m_group->startupTimeout() != before)
        Q_EMIT startupTimeoutChanged();
}

double QmlRunGroup::drainDelay() const
{
    return m_group->drainDelay();
}

void QmlRunGroup::setDrainDelay(double ms)
{
    std::chrono::milliseconds delay;
    if (!toMilliseconds(this, "drainDelay", ms, true, &delay))
        return;
    const int before = m_group->drainDelay();
    m_group->setDrainDelay(delay);
    if (m_group->drainDelay() != before)
        Q_EMIT drainDelayChanged();
}

QAbstractItemModel *QmlRunGroup::actorModel() const
{
    return m_group->actorModel();
}

void QmlRunGroup::afterChanged(RunGroupActor *actor)
{
    RunGroupActorPrivate *d = RunGroupActorPrivate::get(actor);
    if (isRunning()) {
        if (!std::exchange(d->afterWarned, true)) {
            qmlWarning(actor) << d->label()
                              << ": after changed while its RunGroup is running: the change "
                                 "applies from the next run";
        }
        return;
    }
    if (std::exchange(m_orderingQueued, true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_orderingQueued = false;
            if (!isRunning())
                applyOrdering();
        },
        Qt::QueuedConnection);
}

namespace {
// Whether setDependencies(index, dependencies) succeeds and drops one of the actor's
// previous dependencies: only that can break a cycle that made the group refuse another.
bool setDependencies(RunGroup *group, int index, const QList<int> &dependencies)
{
    const QList<int> previous = group->dependencies(index);
    if (!group->setDependencies(index, dependencies))
        return false;
    return std::any_of(previous.cbegin(), previous.cend(),
                       [&](int dependency) { return !dependencies.contains(dependency); });
}
} // namespace

// Gives the group the dependencies of every actor whose after changed; then, if one lost a
// dependency, retries those the group refused (a cycle) as long as that helps. Only while
// idle or finished.
void QmlRunGroup::applyOrdering()
{
    bool dropped = false;
    for (const QPointer<RunGroupActor> &actor : std::as_const(m_actors)) {
        if (actor && RunGroupActorPrivate::get(actor)->afterDirty)
            dropped = applyAfter(actor) || dropped;
    }
    while (dropped) {
        dropped = false;
        for (const QPointer<RunGroupActor> &actor : std::as_const(m_actors)) {
            if (!actor)
                continue;
            const RunGroupActorPrivate *d = RunGroupActorPrivate::get(actor);
            if (d->requestedAfter != m_group->dependencies(d->index)
                && setDependencies(m_group, d->index, d->requestedAfter))
                dropped = true;
        }
    }
}

// Gives the group actor's after as dependencies if it changed; returns true if that
// dropped one of the actor's dependencies.
bool QmlRunGroup::applyAfter(RunGroupActor *actor)
{
    RunGroupActorPrivate *d = RunGroupActorPrivate::get(actor);
    d->afterDirty = false;
    QList<int> indices;
    for (qsizetype i = 0; i < d->after.size(); ++i) {
        QObject *object = d->after.at(i).data();
        if (!object) {
            qmlWarning(actor) << d->label() << ": after: entry " << i << " is null: ignored";
            continue;
        }
        auto *other = qobject_cast<RunGroupActor *>(object);
        if (!other) {
            qmlWarning(actor) << d->label() << ": after: entry " << i << " is not an actor ("
                              << object->metaObject()->className() << "): ignored";
            continue;
        }
        const RunGroupActorPrivate *od = RunGroupActorPrivate::get(other);
        if (od->group != this) {
            qmlWarning(actor) << d->label() << ": after: entry " << i << ", " << od->label()
                              << ", is not an actor of this RunGroup: ignored";
            continue;
        }
        if (!indices.contains(od->index))
            indices.append(od->index);
    }
    if (indices == d->requestedAfter)
        return false;
    d->requestedAfter = indices;
    // A cycle or the actor itself: the group's warning, and its dependencies stay as they were.
    return setDependencies(m_group, d->index, indices);
}

void QmlRunGroup::start()
{
    if (!m_complete) {
        m_startWhenComplete = true;
        return;
    }
    m_restartPending = false;
    if (isRunning()) {
        m_group->start(); // warns
        return;
    }
    applyOrdering();
    // Every actor is running (with no error yet, neither started nor ready) before any
    // handler of this run sees it.
    for (const QPointer<RunGroupActor> &actor : std::as_const(m_actors)) {
        if (!actor)
            continue;
        actor->aboutToStart();
        RunGroupActorPrivate *d = RunGroupActorPrivate::get(actor);
        d->afterWarned = false;
        d->setError(RunError());
        d->setStarted(false);
        d->setReady(false);
        d->setRestarts(0);
        d->setRunning(true);
    }
    m_group->start();
}

namespace {
// What QmlRunGroup::stop() accepts as a reason; false (with a warning) for anything else.
bool toReason(const QVariant &reason, RunError *error)
{
    if (!reason.isValid() || reason.isNull()) {
        *error = RunError::canceled();
        return true;
    }
    if (reason.metaType() == QMetaType::fromType<RunError>()) {
        *error = reason.value<RunError>();
        return true;
    }
    if (reason.metaType() == QMetaType::fromType<QString>()) {
        const QString message = reason.toString();
        if (message.isEmpty()) {
            qCWarning(lcQml, "RunGroup.stop: The reason is an empty message; give a message, a "
                             "runError or a RunError kind");
            return false;
        }
        *error = RunError::failure(message);
        return true;
    }
    bool isNumber = false;
    const int kind = reason.toInt(&isNumber);
    if (isNumber && reason.metaType() != QMetaType::fromType<bool>()
        && reason.toDouble() == double(kind)) {
        switch (RunError::Kind(kind)) {
        case RunError::Kind::NoError: *error = RunError(); return true;
        case RunError::Kind::Failure: *error = RunError::failure(QString()); return true;
        case RunError::Kind::Canceled: *error = RunError::canceled(); return true;
        case RunError::Kind::Timeout: *error = RunError::timeout(); return true;
        case RunError::Kind::Exception:
        case RunError::Kind::Signal: break;
        }
        qCWarning(lcQml,
                  "RunGroup.stop: %d is not a RunError kind a stop can have (NoError, Failure, "
                  "Canceled or Timeout)",
                  kind);
        return false;
    }
    qCWarning(lcQml,
              "RunGroup.stop: The reason must be a runError, a message or a RunError kind, not "
              "a %s",
              reason.metaType().name());
    return false;
}
} // namespace

void QmlRunGroup::stop(const QVariant &reason)
{
    RunError error;
    if (!toReason(reason, &error))
        return;
    m_startWhenComplete = false;
    m_restartPending = false;
    m_group->stop(error);
}

RunGroupActor *QmlRunGroup::actorAt(int index) const
{
    if (index < 0 || index >= m_actors.size())
        return nullptr;
    return m_actors.at(index).data();
}

void QmlRunGroup::reload()
{
    m_group->reload();
}

void QmlRunGroup::classBegin()
{
    m_complete = false;
}

void QmlRunGroup::componentComplete()
{
    m_complete = true;
    const auto pending = std::exchange(m_pending, {});
    for (const QPointer<RunGroupActor> &actor : pending) {
        if (actor)
            join(actor);
    }
    applyOrdering();
    if (std::exchange(m_startWhenComplete, false))
        start();
}

void QmlRunGroup::onActorStarted(int index)
{
    if (RunGroupActor *actor = actorAt(index))
        RunGroupActorPrivate::get(actor)->setStarted(true);
    Q_EMIT actorStarted(index);
}

void QmlRunGroup::onActorReady(int index)
{
    if (RunGroupActor *actor = actorAt(index))
        RunGroupActorPrivate::get(actor)->setReady(true);
    Q_EMIT actorReady(index);
}

void QmlRunGroup::onActorExited(int index, const RunError &error)
{
    if (RunGroupActor *actor = actorAt(index)) {
        RunGroupActorPrivate *d = RunGroupActorPrivate::get(actor);
        d->setError(error);
        d->setRunning(false);
    }
    Q_EMIT actorExited(index, error);
}

void QmlRunGroup::onActorRestarting(int index, const RunError &error, int attempt)
{
    QPointer<QmlRunGroup> guard(this);
    if (QPointer<RunGroupActor> actor = actorAt(index)) {
        RunGroupActorPrivate *d = RunGroupActorPrivate::get(actor);
        d->setError(error);
        d->setReady(false); // as the group: its readiness starts anew
        d->setRestarts(attempt);
        Q_EMIT actor->restarting(error, attempt);
        // After the handlers, which may change what the next incarnation reads; before
        // the backoff wait, so before execute() starts again.
        if (actor)
            actor->aboutToStart();
    }
    if (guard)
        Q_EMIT actorRestarting(index, error, attempt);
}

void QmlRunGroup::onFinished(const RunError &error)
{
    QPointer<QmlRunGroup> guard(this);
    applyOrdering(); // after changed during the run
    Q_EMIT finished(error);
    if (guard && std::exchange(m_restartPending, false) && !isRunning())
        start();
}
