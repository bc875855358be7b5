// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "testprobe.h"

#include "testworker.h"

#include <csignal>

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
