// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_GROUPACTOR_P_H
#define RUNGROUP_GROUPACTOR_P_H

#include "actoradaptor_p.h"

#include <QtCore/QPointer>

// addGroup(): a nested group, started with its parent and stopped by its interrupt.
class GroupActor : public ActorAdaptor
{
    Q_OBJECT
public:
    GroupActor(RunGroup *child, RunGroup *group);
    void interrupt(const RunError &error) override;
    RunGroup *child() const { return m_child.data(); }

protected:
    void begin() override;

private:
    QPointer<RunGroup> m_child;
    bool m_active = false; // the child was started by this run and has not finished
};

#endif // RUNGROUP_GROUPACTOR_P_H
