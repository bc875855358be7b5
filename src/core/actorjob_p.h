// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_ACTORJOB_P_H
#define RUNGROUP_ACTORJOB_P_H

#include <RunGroup/rungroup.h>

#include "threadpool_p.h"

#include <memory>

struct RunShared;

// What a pool thread runs for one threaded actor (add()). Touches only itself and
// RunShared, so it stays safe after a shutdown timeout even when the group is gone.
class ActorJob final : public PoolJob
{
public:
    ActorJob(std::shared_ptr<RunShared> shared, int index,
             std::shared_ptr<const RunGroupDetail::Execute> execute, QString name);

    // Runs execute. Once it returns, the group no longer touches the thread, so the pool
    // may park it before the exit is reported.
    void run() override;
    // Reports the exit to the group's exit queue.
    void done() override;

private:
    std::shared_ptr<RunShared> m_shared;
    int m_index;
    std::shared_ptr<const RunGroupDetail::Execute> m_execute; // shared with the ActorSpec
    QString m_name;
    RunError m_error;
};

#endif // RUNGROUP_ACTORJOB_P_H
