// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The base class of the tests of the group itself (tests/auto/rungroup, startstop,
// threadactor, interrupts, objectactor, signalactor, shutdown, randomruns): Qt Test runs
// its initTestCase() and init() for each of them.

#pragma once

#include <QtCore/QObject>

class RunGroupTestCase : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Before any RunGroup exists: the library registers the RunError metatype when it is
    // loaded.
    void initTestCase();
    // Any warning not announced with QTest::ignoreMessage fails the test.
    void init();
};
