// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_FUTUREACTOR_P_H
#define RUNGROUP_FUTUREACTOR_P_H

#include "actoradaptor_p.h"

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>

// add(QFuture<T>): exits when the future finishes.
class FutureActor : public ActorAdaptor
{
    Q_OBJECT
public:
    FutureActor(const QFuture<void> &future, RunGroup *group);
    void interrupt(const RunError &error) override;
    bool canRestart() const override { return false; } // a finished future cannot rerun

protected:
    void begin() override;

private:
    RunError outcome(bool alreadyFinished);

    QFuture<void> m_future;
    QFutureWatcher<void> m_watcher;
};

#endif // RUNGROUP_FUTUREACTOR_P_H
