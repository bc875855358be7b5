// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The base of every ready-made actor: an addObject() actor that is a child of its group.
#include "actoradaptor_p.h"

#include "rungroup_p.h"

ActorAdaptor::ActorAdaptor(RunGroup *group) : QObject(group) { }

int ActorAdaptor::addTo(RunGroup *group, const QString &name)
{
    const int index = group->addObject(this, &ActorAdaptor::exited, &ActorAdaptor::interrupt, name);
    if (index < 0) {
        delete this;
        return -1;
    }
    // Begins when the actor starts: at start(), or once its dependencies are ready. The
    // group owns this adaptor (its child), so the hook never outlives it.
    ActorSpec &spec = RunGroupPrivate::get(group)->specs[size_t(index)];
    spec.onStart = [this] { begin(); };
    spec.restartable = canRestart();
    return index;
}

bool ActorAdaptor::canAdd(RunGroup *group, const char *function)
{
    return RunGroupPrivate::get(group)->canAdd(function);
}
