// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Signal-handler actors, addSignalHandler(), in this process with raise(): bad signal
// numbers, the handlers installed in start() and restored after, two groups on one signal.
// tests/auto/signals sends real signals from another process.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QScopeGuard>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <climits>
#include <csignal>
#include <memory>
#include <vector>

#include "grouplog.h"
#include "ownsignalhandler.h"
#include "rungrouptest.h"
#include "rungrouptestcase.h"
#include "testsync.h"

class tst_SignalActor : public RunGroupTestCase
{
    Q_OBJECT

private Q_SLOTS:
    // Ported from oklog/run: actors_test.go.
    void signalError();

    void addSignalHandlerInvalid_data();
    void addSignalHandlerInvalid();
    void signalHandlerRaise_data();
    void signalHandlerRaise();
    void twoGroupsOneSignal_data();
    void twoGroupsOneSignal();
    void signalHandlerInterrupted();
    void secondSignalExitsProperty();
};

// TestSignalHandler: a signal ends the run with a Signal error.
void tst_SignalActor::signalError()
{
    OwnSignalHandler own(SIGUSR1);
    RunGroup group;
    QCOMPARE(group.addSignalHandler({SIGUSR1}), 0);
    QSignalSpy finished(&group, &RunGroup::finished);
    auto cleanup = qScopeGuard([&] { group.stop(); });

    group.start();
    ::raise(SIGUSR1);

    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    const RunError error = errorAt(finished, 0, 0);
    QCOMPARE(error, RunError::fromSignal(SIGUSR1));
    QCOMPARE(error.kind(), RunError::Kind::Signal);
    QCOMPARE(error.signalNumber(), int(SIGUSR1));
    QCOMPARE(group.error(), error);
}

void tst_SignalActor::addSignalHandlerInvalid_data()
{
    QTest::addColumn<QList<int>>("signalNumbers");
    QTest::addColumn<QString>("warning");
    const auto cannot = [](int n) {
        return QStringLiteral("RunGroup::addSignalHandler: Cannot handle signal %1").arg(n);
    };
    QTest::addRow("empty") << QList<int>()
                           << QStringLiteral("RunGroup::addSignalHandler: No signal numbers given");
    QTest::addRow("SIGKILL") << QList<int>({SIGKILL}) << cannot(SIGKILL);
    QTest::addRow("SIGSTOP") << QList<int>({SIGSTOP}) << cannot(SIGSTOP);
    QTest::addRow("zero") << QList<int>({0}) << cannot(0);
    QTest::addRow("negative") << QList<int>({-3}) << cannot(-3);
    QTest::addRow("INT_MIN") << QList<int>({INT_MIN}) << cannot(INT_MIN);
    QTest::addRow("NSIG") << QList<int>({NSIG}) << cannot(NSIG);
    QTest::addRow("65") << QList<int>({65}) << cannot(65);
    QTest::addRow("SIGRTMAX + 1") << QList<int>({SIGRTMAX + 1}) << cannot(SIGRTMAX + 1);
    QTest::addRow("INT_MAX") << QList<int>({INT_MAX}) << cannot(INT_MAX);
    QTest::addRow("SIGINT and SIGKILL") << QList<int>({SIGINT, SIGKILL}) << cannot(SIGKILL);
    // Kept by the C library (glibc: thread cancellation, setxid); sigaction() refuses them,
    // and they used to be accepted silently, with no handler installed.
    QTest::addRow("32") << QList<int>({32}) << cannot(32);
    QTest::addRow("33") << QList<int>({33}) << cannot(33);
    if (SIGRTMIN - 1 > 33)
        QTest::addRow("SIGRTMIN - 1") << QList<int>({SIGRTMIN - 1}) << cannot(SIGRTMIN - 1);
    QTest::addRow("SIGTERM and 32") << QList<int>({SIGTERM, 32}) << cannot(32);
    // Faults: a handler that returns runs the faulting instruction again, forever.
    QTest::addRow("SIGSEGV") << QList<int>({SIGSEGV}) << cannot(SIGSEGV);
    QTest::addRow("SIGBUS") << QList<int>({SIGBUS}) << cannot(SIGBUS);
    QTest::addRow("SIGFPE") << QList<int>({SIGFPE}) << cannot(SIGFPE);
    QTest::addRow("SIGILL") << QList<int>({SIGILL}) << cannot(SIGILL);
}

void tst_SignalActor::addSignalHandlerInvalid()
{
    QFETCH(QList<int>, signalNumbers);
    QFETCH(QString, warning);
    RunGroup group;
    QSignalSpy countChanged(&group, &RunGroup::countChanged);
    QTest::ignoreMessage(QtWarningMsg, qPrintable(warning));
    QCOMPARE(group.addSignalHandler(signalNumbers), -1);
    QCOMPARE(group.count(), 0);
    QCOMPARE(countChanged.count(), 0);
}

void tst_SignalActor::signalHandlerRaise_data()
{
    QTest::addColumn<QList<int>>("handled"); // empty: addSignalHandler() with its default
    QTest::addColumn<int>("raised");
    QTest::addRow("default, SIGTERM") << QList<int>() << int(SIGTERM);
    QTest::addRow("default, SIGINT") << QList<int>() << int(SIGINT);
    QTest::addRow("SIGTERM") << QList<int>({SIGTERM}) << int(SIGTERM);
    QTest::addRow("SIGUSR1 and SIGUSR2, SIGUSR2") << QList<int>({SIGUSR1, SIGUSR2}) << int(SIGUSR2);
    QTest::addRow("SIGHUP") << QList<int>({SIGHUP}) << int(SIGHUP);
    // The whole real-time range left to applications.
    QTest::addRow("SIGRTMIN") << QList<int>({SIGRTMIN}) << int(SIGRTMIN);
    QTest::addRow("SIGRTMAX") << QList<int>({SIGRTMAX}) << int(SIGRTMAX);
}

// A real signal ends the run with RunError::fromSignal(n); the handlers are installed in
// start() and the previous ones are back once the actor exited.
void tst_SignalActor::signalHandlerRaise()
{
    QFETCH(QList<int>, handled);
    QFETCH(int, raised);
    const QList<int> signalNumbers = handled.isEmpty() ? QList<int>({SIGINT, SIGTERM}) : handled;
    std::vector<std::unique_ptr<OwnSignalHandler>> own;
    for (int n : signalNumbers)
        own.push_back(std::make_unique<OwnSignalHandler>(n));

    auto gate = std::make_shared<Gate>();
    RunGroup group;
    auto cleanup = qScopeGuard([&] {
        gate->open();
        group.stop();
    });
    QCOMPARE(handled.isEmpty() ? group.addSignalHandler() : group.addSignalHandler(handled), 0);
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 1);
    for (const auto &handler : own)
        QVERIFY(handler->isInstalled()); // not at add time
    GroupLog events(&group);

    group.start();
    for (const auto &handler : own)
        QVERIFY(!handler->isInstalled()); // installed inside start()
    ::raise(raised);                      // at once: no signal slips through after start()

    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    QCOMPARE(events.exitError(0), RunError::fromSignal(raised));
    QCOMPARE(events.finishedError(), RunError::fromSignal(raised));
    QCOMPARE(events.finishedError().signalNumber(), raised);
    const QString problem = events.checkRun(2);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Restored: the next signal reaches the previous handler.
    for (const auto &handler : own)
        QVERIFY(handler->isInstalled());
    const int before = g_ownSignalCalls[size_t(raised)].load();
    ::raise(raised);
    QCOMPARE(g_ownSignalCalls[size_t(raised)].load(), before + 1);
}

void tst_SignalActor::twoGroupsOneSignal_data()
{
    QTest::addColumn<int>("stoppedFirst"); // -1: none; 0 or 1: that group is stopped first
    QTest::addRow("both listening") << -1;
    QTest::addRow("first group stopped before") << 0;
    QTest::addRow("second group stopped before") << 1;
}

// Several groups may listen to the same signal; one stopping does not deafen the other.
void tst_SignalActor::twoGroupsOneSignal()
{
    QFETCH(int, stoppedFirst);
    OwnSignalHandler own(SIGINT);
    RunGroup groups[2];
    std::unique_ptr<GroupLog> events[2];
    auto cleanup = qScopeGuard([&] {
        for (RunGroup &group : groups)
            group.stop();
    });
    for (int g = 0; g < 2; ++g) {
        QCOMPARE(groups[g].addSignalHandler({SIGINT}), 0);
        events[g] = std::make_unique<GroupLog>(&groups[g]);
    }
    groups[0].start();
    groups[1].start();
    if (stoppedFirst >= 0) {
        groups[stoppedFirst].stop();
        QTRY_COMPARE_WITH_TIMEOUT(events[stoppedFirst]->count(GroupLog::Finished), 1, kTimeout);
        QCOMPARE(events[stoppedFirst]->finishedError(), RunError::canceled());
        QCOMPARE(events[stoppedFirst]->exitError(0), RunError());
        QVERIFY(!own.isInstalled()); // the other group still listens
    }

    const int before = own.calls();
    ::raise(SIGINT);
    for (int g = 0; g < 2; ++g) {
        if (g == stoppedFirst)
            continue;
        QTRY_COMPARE_WITH_TIMEOUT(events[g]->count(GroupLog::Finished), 1, kTimeout);
        QCOMPARE(events[g]->finishedError(), RunError::fromSignal(SIGINT));
    }
    QCOMPARE(own.calls(), before);
    QVERIFY(own.isInstalled());
    ::raise(SIGINT);
    QCOMPARE(own.calls(), before + 1);
    QCoreApplication::processEvents();
    for (int g = 0; g < 2; ++g)
        QCOMPARE(events[g]->count(GroupLog::Finished), 1);
}

// An interrupted signal handler exits with no error and restores the handler.
void tst_SignalActor::signalHandlerInterrupted()
{
    OwnSignalHandler own(SIGUSR2);
    auto gate = std::make_shared<Gate>();
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group.addSignalHandler({SIGUSR2}), 0);
    QCOMPARE(group.add(waitFor(gate, failure("first"))), 1);
    GroupLog events(&group);

    group.start();
    QVERIFY(!own.isInstalled());
    gate->open();
    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    QCOMPARE(events.exitError(0), RunError());
    QCOMPARE(events.finishedError(), failure("first"));
    QVERIFY(own.isInstalled());
}

void tst_SignalActor::secondSignalExitsProperty()
{
    // The policy itself is tested with real signals in tst_signals.
    RunGroup group;
    QVERIFY(!group.secondSignalExits());
    group.setSecondSignalExits(true);
    QVERIFY(group.secondSignalExits());
    group.setSecondSignalExits(false);
    QVERIFY(!group.secondSignalExits());
}

QTEST_GUILESS_MAIN(tst_SignalActor)
#include "tst_signalactor.moc"
