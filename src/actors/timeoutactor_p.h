// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_TIMEOUTACTOR_P_H
#define RUNGROUP_TIMEOUTACTOR_P_H

#include "actoradaptor_p.h"

#include <QtCore/QTimer>

#include <chrono>

// addTimeout(): a deadline started with the run.
class TimeoutActor : public ActorAdaptor
{
    Q_OBJECT
public:
    TimeoutActor(std::chrono::milliseconds duration, RunGroup *group);
    void interrupt(const RunError &error) override;

protected:
    void begin() override;

private:
    // Starts the timer for what is left of the deadline, or for one step of it.
    void armNextStep();

    const std::chrono::milliseconds m_duration;
    QTimer m_timer;
    std::chrono::steady_clock::time_point m_started; // begin() of this run
    bool m_lastStep = false; // the timer runs until the deadline, not one step of it
};

#endif // RUNGROUP_TIMEOUTACTOR_P_H
