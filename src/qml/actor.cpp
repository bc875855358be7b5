// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "actor_p.h"

#include "rungroupactor_p.h"

#include <RunGroup/rungroup.h>

#include <QtCore/QMetaMethod>
#include <QtQml/QQmlInfo>

Actor::Actor(QObject *parent) : RunGroupActor(parent) { }

void Actor::exit(const QString &message)
{
    RunGroupActorPrivate *d = RunGroupActorPrivate::get(this);
    if (!d->group) {
        qmlWarning(this) << "exit() ignored: this actor is not inside a RunGroup";
        return;
    }
    if (!d->running)
        return;
    Q_EMIT exited(message.isEmpty() ? RunError() : RunError::failure(message));
}

int Actor::addTo(RunGroup *group)
{
    // The group queues the interrupt to this object and drops it if it is destroyed.
    return group->addObject(
        this, &Actor::exited, [this](const RunError &error) { handleInterrupt(error); }, name());
}

void Actor::handleInterrupt(const RunError &error)
{
    RunGroupActorPrivate *d = RunGroupActorPrivate::get(this);
    static const QMetaMethod interruptedSignal = QMetaMethod::fromSignal(&Actor::interrupted);
    // QML handlers count as connections here.
    if (d->groupDestroying || !isSignalConnected(interruptedSignal)) {
        exit();
        return;
    }
    Q_EMIT interrupted(error);
}
