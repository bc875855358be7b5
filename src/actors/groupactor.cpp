// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// addGroup(): a nested group, started with its parent's runs.
#include "extension_p.h"
#include "groupactor_p.h"

#include "logging_p.h"

GroupActor::GroupActor(RunGroup *child, RunGroup *group) : ActorAdaptor(group), m_child(child)
{
    connect(child, &RunGroup::finished, this, [this](const RunError &error) {
        if (std::exchange(m_active, false))
            Q_EMIT exited(error);
    });
    connect(child, &QObject::destroyed, this, [this] {
        if (std::exchange(m_active, false))
            Q_EMIT exited(RunError::canceled(
                QStringLiteral("RunGroup: The nested group was destroyed while running")));
    });
}

void GroupActor::begin()
{
    if (!m_child) {
        Q_EMIT exited(RunError::canceled(
            QStringLiteral("RunGroup: The nested group was destroyed before the run started")));
        return;
    }
    if (m_child->isRunning()) {
        Q_EMIT exited(
            RunError::failure(QStringLiteral("RunGroup: The nested group %1 was already running")
                                  .arg(m_child->objectName())));
        return;
    }
    m_active = true;
    m_child->start();
}

void GroupActor::interrupt(const RunError &error)
{
    // No effect if the child is already shutting down or finished.
    if (m_active && m_child)
        m_child->stop(error);
}

namespace {
// Returns true if group is target or nests it, directly or through nested groups.
bool nests(RunGroup *group, const RunGroup *target)
{
    if (group == target)
        return true;
    const auto actors = Extension::findAll<GroupActor>(group);
    for (GroupActor *actor : actors) {
        if (RunGroup *child = actor->child(); child && nests(child, target))
            return true;
    }
    return false;
}
} // namespace

int RunGroup::addGroup(RunGroup *child, const QString &name)
{
    if (!ActorAdaptor::canAdd(this, "addGroup"))
        return -1;
    if (!child) {
        qCWarning(lcActors, "RunGroup::addGroup: The group is null");
        return -1;
    }
    if (child == this) {
        qCWarning(lcActors, "RunGroup::addGroup: Cannot add a group to itself");
        return -1;
    }
    if (child->thread() != thread()) {
        qCWarning(lcActors,
                  "RunGroup::addGroup: The nested group must live on this group's thread");
        return -1;
    }
    if (child->isRunning()) {
        qCWarning(lcActors, "RunGroup::addGroup: The nested group is already running");
        return -1;
    }
    if (nests(child, this)) {
        qCWarning(lcActors,
                  "RunGroup::addGroup: The nested group contains this group: that is a cycle");
        return -1;
    }
    return (new GroupActor(child, this))->addTo(this, name.isEmpty() ? child->objectName() : name);
}
