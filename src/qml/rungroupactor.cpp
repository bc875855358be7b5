// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "rungroupactor_p.h"

#include <QtQml/QQmlInfo>

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

void RunGroupActorPrivate::setMembership(QObject *newGroup, int newIndex)
{
    Q_Q(RunGroupActor);
    const bool groupChanged = group != newGroup;
    const bool indexChanged = index != newIndex;
    group = newGroup;
    index = newIndex;
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
