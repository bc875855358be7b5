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
