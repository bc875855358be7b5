// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_ACTORADAPTOR_P_H
#define RUNGROUP_ACTORADAPTOR_P_H

#include <RunGroup/rungroup.h>

#include <QtCore/QObject>

// The ready-made actors (futures, processes, deadlines, nested groups, worker threads)
// are event-driven actors added with addObject(): an adaptor, a child of the group living
// on its thread, begins its work when its actor starts (ActorSpec::onStart) and reports its end
// with exited(). The core knows nothing about them. Every QObject an adaptor holds is its child, so
// a group moved to another thread takes all of it along.
class ActorAdaptor : public QObject
{
    Q_OBJECT
public:
    explicit ActorAdaptor(RunGroup *group);

    // Whether group may get a new actor now (its thread, its state), as RunGroup::add*
    // checks it; prints the warning for function otherwise.
    static bool canAdd(RunGroup *group, const char *function);
    // Adds this adaptor to group as an object actor; deletes it and returns -1 on failure.
    int addTo(RunGroup *group, const QString &name);

    // The actor's interrupt, queued on the group's thread.
    virtual void interrupt(const RunError &error) = 0;
    // Whether begin() may be called again after an exit within the same run, for the
    // restarting exit policies.
    virtual bool canRestart() const { return true; }

Q_SIGNALS:
    // The actor's exit signal. Emitted outside a run, it is ignored.
    void exited(const RunError &error);

protected:
    // Called when the actor starts in each run: within start(), after started(), or later,
    // once its dependencies are ready; and again at each restart.
    virtual void begin() = 0;
};

#endif // RUNGROUP_ACTORADAPTOR_P_H
