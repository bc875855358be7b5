// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// What the Qt Test programs of tests/auto that drive a RunGroup share: the bound of every
// wait, RunError printed by QCOMPARE, and the small actors and checks they build runs from.

#pragma once

#include <RunGroup/RunGroup>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <chrono>
#include <memory>
#include <thread>

#include "testsync.h"

// Every wait in these tests is bounded by this, and never asserted on: a broken group
// fails a check instead of hanging the suite.
constexpr int kTimeout = 60000;

// Lets QCOMPARE print RunError values (found by argument-dependent lookup).
inline char *toString(const RunError &error)
{
    return QTest::toString(error.toString());
}

inline RunError failure(const char *message)
{
    return RunError::failure(QString::fromLatin1(message));
}

// The RunError argument `argument` of the `signal`-th emission recorded by spy.
inline RunError errorAt(const QSignalSpy &spy, int signal, int argument)
{
    return spy.at(signal).at(argument).value<RunError>();
}

// An execute that returns result once gate opens.
inline auto waitFor(std::shared_ptr<Gate> gate, RunError result = {})
{
    return [gate, result] { return gate->wait() ? result : failure("the gate was never opened"); };
}

// An interrupt that opens gate.
inline auto opener(std::shared_ptr<Gate> gate)
{
    return [gate] { gate->open(); };
}

// The body of an actor that has no interrupt of its own: it polls its QThread.
inline RunError pollInterruption()
{
    QDeadlineTimer deadline(kTimeout);
    while (!QThread::currentThread()->isInterruptionRequested()) {
        if (deadline.hasExpired())
            return failure("interruption was never requested");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return RunError();
}

// The error of the first finished() spy recorded, or a marker when there is none.
inline RunError finishedError(const QSignalSpy &spy)
{
    return spy.isEmpty() ? RunError::failure(QStringLiteral("finished() was not emitted"))
                         : spy.first().first().value<RunError>();
}

// Runs group until finished, or gives up after kTimeout; returns its error.
inline RunError runToEnd(RunGroup &group)
{
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    if (!finished.wait(kTimeout))
        group.stop(RunError::failure(QStringLiteral("test timeout")));
    if (finished.isEmpty())
        finished.wait(kTimeout);
    return finishedError(finished);
}
