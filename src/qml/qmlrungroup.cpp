// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "qmlrungroup_p.h"

#include "rungroupactor_p.h"

#include <RunGroup/rungroup.h>

#include <QtCore/QLocale>
#include <QtCore/QLoggingCategory>
#include <QtQml/QQmlInfo>

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

QmlRunGroup::QmlRunGroup(QObject *parent) : QObject(parent), m_group(new RunGroup)
{
    connect(m_group, &RunGroup::started, this, &QmlRunGroup::started);
    connect(m_group, &RunGroup::actorExited, this, &QmlRunGroup::onActorExited);
    connect(m_group, &RunGroup::finished, this, &QmlRunGroup::onFinished);
    connect(m_group, &RunGroup::stateChanged, this, &QmlRunGroup::stateChanged);
    connect(m_group, &RunGroup::runningChanged, this, &QmlRunGroup::runningChanged);
    connect(m_group, &RunGroup::errorChanged, this, &QmlRunGroup::errorChanged);
    connect(m_group, &RunGroup::errorsChanged, this, &QmlRunGroup::errorsChanged);
    connect(m_group, &RunGroup::shutdownTimeoutChanged, this, &QmlRunGroup::shutdownTimeoutChanged);
}

QmlRunGroup::~QmlRunGroup()
{
    // The group's signals stop reaching QML, and interrupted actors end without running
    // their handlers; then ~RunGroup stops and joins while every actor is still alive.
    disconnect(m_group, nullptr, this, nullptr);
    for (const QPointer<RunGroupActor> &actor : std::as_const(m_actors)) {
        if (actor)
            RunGroupActorPrivate::get(actor)->groupDestroying = true;
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
    if (!m_complete)
        m_pending.append(actor);
    else
        join(actor);
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
    m_actors.append(actor);
    RunGroupActorPrivate::get(actor)->setMembership(this, index);
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

void QmlRunGroup::setShutdownTimeout(double ms)
{
    // Any finite number within qint64's range reaches the core, which refuses negative
    // values and those above INT_MAX with its own warnings, naming the value.
    constexpr double kLimit = 9.0e18; // below 2^63
    if (!std::isfinite(ms) || ms < -kLimit || ms > kLimit) {
        qmlWarning(this) << "shutdownTimeout must be a number of milliseconds from 0 to " << INT_MAX
                         << ", not " << QString::number(ms, 'g', QLocale::FloatingPointShortest);
        return;
    }
    m_group->setShutdownTimeout(std::chrono::milliseconds(qint64(std::round(ms))));
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
    // Every actor is running (with no error yet) before any handler of this run sees it.
    for (const QPointer<RunGroupActor> &actor : std::as_const(m_actors)) {
        if (!actor)
            continue;
        actor->aboutToStart();
        RunGroupActorPrivate *d = RunGroupActorPrivate::get(actor);
        d->setError(RunError());
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
    if (std::exchange(m_startWhenComplete, false))
        start();
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

void QmlRunGroup::onFinished(const RunError &error)
{
    QPointer<QmlRunGroup> guard(this);
    Q_EMIT finished(error);
    if (guard && std::exchange(m_restartPending, false) && !isRunning())
        start();
}
