// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// run() and ~RunGroup against event loops that someone else ends, and against no event
// loop at all (no QCoreApplication: never made, or destroyed before the group).

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <atomic>
#include <csignal>

#include "childprocess.h"
#include "testsync.h"

namespace {
constexpr int kTimeout = 60000;

// QCoreApplication::exit() outside exec() leaves this thread's "quit now" flag set, which
// makes every QEventLoop::exec() (QSignalSpy::wait included) return at once; the
// application's exec() clears it again.
void clearQuitRequest()
{
    QTimer::singleShot(0, QCoreApplication::instance(), &QCoreApplication::quit);
    QCoreApplication::exec();
}

// An actor that returns error once the application was asked to exit.
RunError failAfter(const std::atomic<bool> &exitRequested, const RunError &error)
{
    QDeadlineTimer deadline(kTimeout);
    while (!exitRequested.load() && !deadline.hasExpired())
        QThread::msleep(2);
    return error;
}
} // namespace

class tst_EventLoop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { clearQuitRequest(); }

    void runSurvivesApplicationExit();
    void runAfterApplicationExitStillWaits();
    void boundGroupRunsTwice();
    void runWithoutApplication();
    void destroyAfterApplication_data();
    void destroyAfterApplication();
    void destroyAfterApplicationStuckSigterm();
    void blockedThreadShutdownTimeoutExits_data();
    void blockedThreadShutdownTimeoutExits();
    void shutdownTimeoutExitsOffByDefault();
};

void tst_EventLoop::runSurvivesApplicationExit()
{
    // Found by an outside probe: QCoreApplication::exit() while run() waited made run()
    // return at once with no error, the group still Running and the failure lost.
    std::atomic<bool> exitRequested{false};
    RunGroup group;
    group.add([&exitRequested] {
        return failAfter(exitRequested, RunError::failure(QStringLiteral("real failure")));
    });
    QTimer::singleShot(0, &group, [&exitRequested] {
        QCoreApplication::exit(3);
        exitRequested.store(true);
    });
    const RunError error = group.run();
    QCOMPARE(error, RunError::failure(QStringLiteral("real failure")));
    QCOMPARE(group.state(), RunGroup::State::Finished);
    QCOMPARE(group.errors().size(), 1);
}

void tst_EventLoop::runAfterApplicationExitStillWaits()
{
    // After that exit(), every later run() on the thread returned at once as well.
    QCoreApplication::exit(0); // no exec() runs: only the flag is left set
    std::atomic<bool> go{false};
    RunGroup group;
    group.add([&go] { return failAfter(go, RunError::failure(QStringLiteral("second"))); });
    QTimer::singleShot(50, &group, [&go] { go.store(true); });
    QCOMPARE(group.run(), RunError::failure(QStringLiteral("second")));
    QCOMPARE(group.state(), RunGroup::State::Finished);
}

void tst_EventLoop::boundGroupRunsTwice()
{
    // The binding queues QCoreApplication::exit() when a run finishes: the next run()
    // executes it while it waits, and must still wait for its own actors.
    RunGroup group;
    QVERIFY(group.bindToApplication());
    std::atomic<int> round{0};
    group.add([&round] {
        QThread::msleep(100);
        return RunError::failure(QStringLiteral("round %1").arg(round.load()));
    });
    for (int i = 1; i <= 3; ++i) {
        round.store(i);
        QCOMPARE(group.run(), RunError::failure(QStringLiteral("round %1").arg(i)));
        QCOMPARE(group.state(), RunGroup::State::Finished);
        QCOMPARE(group.exitCode(), 1);
    }
}

void tst_EventLoop::runWithoutApplication()
{
    // Found by an outside probe: run() with no QCoreApplication spun at 100% CPU forever.
    ChildProcess child(QStringLiteral(RUNGROUP_EVENTLOOP_HELPER_PATH),
                       {QStringLiteral("run-without-app")}, kTimeout);
    QVERIFY2(child.waitForFinished(), child.output().constData());
    QCOMPARE(child.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.process().exitCode(), 0);
    QCOMPARE(child.stdoutLines(),
             QStringList({QStringLiteral("start: refused"),
                          QStringLiteral("run: Failure: RunGroup: The group cannot run without a "
                                         "QCoreApplication"),
                          QStringLiteral("state: idle")}));
    QVERIFY2(child.stderrText().contains(QLatin1String(
                 "RunGroup::start: Cannot run without a QCoreApplication; construct one first")),
             child.output().constData());
    QVERIFY2(child.stderrText().contains(QLatin1String(
                 "RunGroup::run: Cannot run without a QCoreApplication; construct one first")),
             child.output().constData());
}

void tst_EventLoop::destroyAfterApplication_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("timedOut"); // actors expected to exit with Kind::Timeout
    QTest::newRow("actors that honour their interrupts") << QStringList() << 0;
    QTest::newRow("an actor that ignores them, shutdown timeout") << QStringList(
        {QStringLiteral("--stuck"), QStringLiteral("--timeout"), QStringLiteral("300")})
                                                                  << 1;
}

void tst_EventLoop::destroyAfterApplication()
{
    // Found by an outside probe: destroying a running group after its application spun at
    // 100% CPU forever (with a signal-handler actor, SIGTERM was swallowed too).
    QFETCH(QStringList, arguments);
    QFETCH(int, timedOut);
    ChildProcess child(QStringLiteral(RUNGROUP_EVENTLOOP_HELPER_PATH),
                       QStringList({QStringLiteral("destroy-after-app")}) + arguments, kTimeout);
    QVERIFY2(child.waitForFinished(), child.output().constData());
    QCOMPARE(child.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.process().exitCode(), 0);
    const QStringList lines = child.stdoutLines();
    QVERIFY2(lines.contains(QLatin1String("finished Canceled")), child.output().constData());
    QCOMPARE(lines.last(), QStringLiteral("destroyed"));
    QCOMPARE(lines.filter(QLatin1String("exited ")).size(), timedOut ? 5 : 4);
    QCOMPARE(lines.filter(QLatin1String(" Timeout: ")).size(), timedOut);
    QVERIFY2(child.stderrText().contains(
                 QLatin1String("RunGroup::~RunGroup: Destroyed while running after the "
                               "QCoreApplication; event-driven actors are canceled and "
                               "threaded ones waited for")),
             child.output().constData());
}

void tst_EventLoop::destroyAfterApplicationStuckSigterm()
{
    // An actor that ignores its interrupt and no shutdown timeout: the destructor waits
    // for it (never spinning), and SIGTERM, whose handler the group restored, ends it.
    ChildProcess child(QStringLiteral(RUNGROUP_EVENTLOOP_HELPER_PATH),
                       {QStringLiteral("destroy-after-app"), QStringLiteral("--stuck")}, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(child.stdoutLines().contains(QLatin1String("waiting")), kTimeout);
    // The signal-handler actor is canceled right after "waiting": its handler goes then.
    QTRY_VERIFY_WITH_TIMEOUT(child.stdoutLines().filter(QLatin1String("exited 3 ")).size() == 1,
                             kTimeout);
    ::kill(pid_t(child.process().processId()), SIGTERM);
    QVERIFY2(child.waitForFinished(), child.output().constData());
    QCOMPARE(child.process().exitStatus(), QProcess::CrashExit);
    QCOMPARE(child.process().exitCode(), SIGTERM);
    QVERIFY(!child.stdoutLines().contains(QLatin1String("destroyed")));
}

void tst_EventLoop::blockedThreadShutdownTimeoutExits_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("default mapping") << QStringList() << 124;
    QTest::newRow("exit code mapper") << QStringList({QStringLiteral("--mapper")}) << 75;
}

void tst_EventLoop::blockedThreadShutdownTimeoutExits()
{
    // Found by an outside probe: the shutdown timeout's timer lives on the group's thread,
    // so an interrupt that blocks that thread held the deadline back too. With
    // shutdownTimeoutExits, a watchdog thread ends the process with the timeout's code.
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    ChildProcess child(QStringLiteral(RUNGROUP_EVENTLOOP_HELPER_PATH),
                       QStringList({QStringLiteral("blocked-shutdown")}) + arguments, kTimeout);
    QVERIFY2(child.waitForFinished(), child.output().constData());
    QCOMPARE(child.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.process().exitCode(), exitCode);
    QVERIFY(child.stdoutLines().contains(QLatin1String("interrupt blocks")));
    QVERIFY2(child.stderrText().contains(
                 QStringLiteral("RunGroup blocked: The shutdown timeout of 300 ms passed 1000 ms "
                                "ago and the group's thread is blocked: exiting with code %1")
                     .arg(exitCode)),
             child.output().constData());
}

void tst_EventLoop::shutdownTimeoutExitsOffByDefault()
{
    RunGroup group;
    QCOMPARE(group.shutdownTimeoutExits(), false);
    group.setShutdownTimeoutExits(true);
    QCOMPARE(group.shutdownTimeoutExits(), true);
    // A shutdown whose timeout is handled on time disarms the watchdog: the process goes on.
    group.setShutdownTimeout(50);
    std::atomic<bool> release{false};
    group.add([&release] {
        while (!release.load())
            QThread::msleep(5);
    });
    group.add([] { return RunError::failure(QStringLiteral("first")); });
    QCOMPARE(group.run(), RunError::failure(QStringLiteral("first")));
    QCOMPARE(group.errors().at(0).kind(), RunError::Kind::Timeout);
    release.store(true);
    QTest::qWait(1500); // past the watchdog's deadline: the test process is still here
}

QTEST_GUILESS_MAIN(tst_EventLoop)
#include "tst_eventloop.moc"
