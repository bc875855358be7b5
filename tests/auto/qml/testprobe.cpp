// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "testprobe.h"

#include "testseams_p.h"
#include "testworker.h"

#include <RunGroup/RunGroup>

#include <cerrno>
#include <csignal>
#include <utility>

int TestProbe::runningExecutes() const
{
    return TestWorker::runningExecutes();
}

int TestProbe::returnedExecutes() const
{
    return TestWorker::returnedExecutes();
}

void TestProbe::raise(int signalNumber) const
{
    std::raise(signalNumber);
}

void TestProbe::watchDestruction(QObject *object)
{
    m_runningAtDestruction = -1;
    Q_EMIT runningAtDestructionChanged();
    connect(object, &QObject::destroyed, this, [this] {
        m_runningAtDestruction = runningExecutes();
        Q_EMIT runningAtDestructionChanged();
    });
}

void TestProbe::failThreadCreations(int count)
{
    if (count > 0) {
        if (m_idleThreadLimit < 0)
            m_idleThreadLimit = RunGroup::idleThreadLimit();
        RunGroup::setIdleThreadLimit(0);
        RunGroupTesting::failThreadCreations(count, EAGAIN);
        return;
    }
    RunGroupTesting::failThreadCreations(0, 0);
    if (m_idleThreadLimit >= 0)
        RunGroup::setIdleThreadLimit(std::exchange(m_idleThreadLimit, -1));
}
