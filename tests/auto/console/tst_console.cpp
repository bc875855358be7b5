// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Windows: the signal-handler actor on console control events (src/signals/
// signalwatcher_win.cpp). The events go through the test seam
// RunGroupTesting::deliverConsoleControlEvent(), which calls what the routine registered
// with SetConsoleCtrlHandler() calls; one slot tries a real GenerateConsoleCtrlEvent() and
// skips where the system does not deliver it (Wine without a console).

#include <RunGroup/RunGroup>
#include <RunGroup/ServiceNotifier>

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QProcess>
#include <QtCore/QScopeGuard>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>
#include <vector>

#include <qt_windows.h>

#include "messagecapture.h"
#include "rungrouptest.h"
#include "testseams_p.h"
#include "testsync.h"

using RunGroupTesting::deliverConsoleControlEvent;

class tst_Console : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventMapping_data();
    void eventMapping();
    void unwatchedEventPassedOn();
    void ctrlCStormIsOneExit();
    void routineRemovedWithLastWatcher();
    void interruptedSignalHandler();
    void badSignals_data();
    void badSignals();
    void realCtrlC();
    void serviceNotifierInert();
    void secondCtrlCExitsAtOnce();
};

void tst_Console::eventMapping_data()
{
    QTest::addColumn<int>("event");
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("text");
    QTest::addRow("Ctrl+C") << int(CTRL_C_EVENT) << int(SIGINT) << QStringLiteral("SIGINT");
    QTest::addRow("Ctrl+Break") << int(CTRL_BREAK_EVENT) << int(SIGBREAK)
                                << QStringLiteral("SIGBREAK");
    QTest::addRow("close") << int(CTRL_CLOSE_EVENT) << int(SIGTERM) << QStringLiteral("SIGTERM");
    QTest::addRow("logoff") << int(CTRL_LOGOFF_EVENT) << int(SIGTERM) << QStringLiteral("SIGTERM");
    QTest::addRow("shutdown") << int(CTRL_SHUTDOWN_EVENT) << int(SIGTERM)
                              << QStringLiteral("SIGTERM");
}

void tst_Console::eventMapping()
{
    // Each event ends the run with its signal's error; exitCode() is 0 for all of them,
    // as for SIGINT and SIGTERM on POSIX: a requested stop, not a failure.
    QFETCH(int, event);
    QFETCH(int, signalNumber);
    QFETCH(QString, text);
    RunGroup group;
    QCOMPARE(group.addSignalHandler(), 0); // Windows' default: SIGINT, SIGBREAK, SIGTERM
    auto gate = std::make_shared<Gate>();
    group.add(waitFor(gate), opener(gate));
    QSignalSpy finished(&group, &RunGroup::finished);
    auto cleanup = qScopeGuard([&] { group.stop(); });
    group.start();
    QVERIFY(deliverConsoleControlEvent(DWORD(event)));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    const RunError error = errorAt(finished, 0, 0);
    QCOMPARE(error, RunError::fromSignal(signalNumber));
    QCOMPARE(error.toString(), QStringLiteral("Signal: Received signal ") + text);
    QCOMPARE(group.exitCode(), 0);
}

void tst_Console::unwatchedEventPassedOn()
{
    // An event whose signal nobody watches goes to the next routine (the system's default
    // one ends the process, as an unhandled SIGINT would): the seam says "not handled".
    RunGroup group;
    QCOMPARE(group.addSignalHandler({SIGINT}), 0);
    QSignalSpy finished(&group, &RunGroup::finished);
    auto cleanup = qScopeGuard([&] { group.stop(); });
    group.start();
    QVERIFY(!deliverConsoleControlEvent(CTRL_BREAK_EVENT));
    QVERIFY(!deliverConsoleControlEvent(CTRL_CLOSE_EVENT));
    QVERIFY(deliverConsoleControlEvent(CTRL_C_EVENT));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(errorAt(finished, 0, 0), RunError::fromSignal(SIGINT));
}

void tst_Console::ctrlCStormIsOneExit()
{
    // A storm of events from several threads at once, Ctrl+C first: one exit, with the
    // first event's signal; every event is taken (none falls to the default routine,
    // which would end the process).
    RunGroup group;
    QCOMPARE(group.addSignalHandler(), 0);
    QSignalSpy exited(&group, &RunGroup::actorExited);
    QSignalSpy finished(&group, &RunGroup::finished);
    auto cleanup = qScopeGuard([&] { group.stop(); });
    group.start();
    QVERIFY(deliverConsoleControlEvent(CTRL_C_EVENT));
    std::atomic<int> taken{0};
    std::vector<std::thread> senders;
    for (int t = 0; t < 4; ++t) {
        senders.emplace_back([&taken, t] {
            for (int i = 0; i < 250; ++i) {
                if (deliverConsoleControlEvent(t % 2 ? CTRL_C_EVENT : CTRL_BREAK_EVENT))
                    taken.fetch_add(1);
            }
        });
    }
    for (std::thread &sender : senders)
        sender.join();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    // Delivered before the actor exited, or after (no watcher left: not taken).
    QVERIFY(taken.load() <= 1000);
    QCOMPARE(exited.count(), 1);
    QCOMPARE(errorAt(finished, 0, 0), RunError::fromSignal(SIGINT));
}

void tst_Console::routineRemovedWithLastWatcher()
{
    // Two groups watch at once; the routine stays until the last watcher is gone.
    RunGroup first;
    RunGroup second;
    QCOMPARE(first.addSignalHandler({SIGTERM}), 0);
    QCOMPARE(second.addSignalHandler({SIGBREAK}), 0);
    QSignalSpy firstFinished(&first, &RunGroup::finished);
    QSignalSpy secondFinished(&second, &RunGroup::finished);
    first.start();
    second.start();
    QVERIFY(deliverConsoleControlEvent(CTRL_CLOSE_EVENT));
    QTRY_COMPARE_WITH_TIMEOUT(firstFinished.count(), 1, kTimeout);
    QCOMPARE(errorAt(firstFinished, 0, 0), RunError::fromSignal(SIGTERM));
    QVERIFY(!deliverConsoleControlEvent(CTRL_CLOSE_EVENT)); // first's watcher is gone
    QVERIFY(deliverConsoleControlEvent(CTRL_BREAK_EVENT));
    QTRY_COMPARE_WITH_TIMEOUT(secondFinished.count(), 1, kTimeout);
    QCOMPARE(errorAt(secondFinished, 0, 0), RunError::fromSignal(SIGBREAK));
    QVERIFY(!deliverConsoleControlEvent(CTRL_BREAK_EVENT));
    QVERIFY(!deliverConsoleControlEvent(CTRL_C_EVENT));
}

void tst_Console::interruptedSignalHandler()
{
    // Interrupted by another actor's exit: no error of its own, and no watcher left.
    RunGroup group;
    QCOMPARE(group.addSignalHandler(), 0);
    group.add([] { return failure("done"); });
    QCOMPARE(runToEnd(group), failure("done"));
    QCOMPARE(group.errors().value(0), RunError());
    QCOMPARE(group.exitCode(), 1);
    QVERIFY(!deliverConsoleControlEvent(CTRL_C_EVENT));
}

void tst_Console::badSignals_data()
{
    QTest::addColumn<QList<int>>("signalNumbers");
    QTest::addColumn<int>("bad");
    QTest::addRow("SIGSEGV") << QList<int>{SIGSEGV} << int(SIGSEGV);
    QTest::addRow("SIGABRT") << QList<int>{SIGABRT} << int(SIGABRT);
    QTest::addRow("SIGINT and 0") << QList<int>{SIGINT, 0} << 0;
    QTest::addRow("64") << QList<int>{64} << 64;
}

void tst_Console::badSignals()
{
    // Only the three numbers the console events map to can be handled on Windows.
    QFETCH(QList<int>, signalNumbers);
    QFETCH(int, bad);
    RunGroup group;
    QTest::ignoreMessage(
        QtWarningMsg,
        qPrintable(QStringLiteral("RunGroup::addSignalHandler: Cannot handle signal %1").arg(bad)));
    QCOMPARE(group.addSignalHandler(signalNumbers), -1);
    QCOMPARE(group.count(), 0);
}

void tst_Console::realCtrlC()
{
    // The real path: GenerateConsoleCtrlEvent() to this console's process group (0).
    if (!GetConsoleWindow())
        QSKIP("No console window: console control events cannot be delivered here (Wine run "
              "without a Wine console, or a detached process)");
    RunGroup group;
    QCOMPARE(group.addSignalHandler({SIGINT}), 0);
    auto gate = std::make_shared<Gate>();
    group.add(waitFor(gate), opener(gate));
    QSignalSpy finished(&group, &RunGroup::finished);
    auto cleanup = qScopeGuard([&] { group.stop(); });
    group.start();
    if (!GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0))
        QSKIP("GenerateConsoleCtrlEvent() failed: no console control events here");
    if (!finished.wait(5000))
        QSKIP("GenerateConsoleCtrlEvent() succeeded but no event arrived within 5 s (Wine "
              "delivers console events only to programs run in a Wine console)");
    QCOMPARE(errorAt(finished, 0, 0), RunError::fromSignal(SIGINT));
}

void tst_Console::serviceNotifierInert()
{
    // No systemd on Windows: even with NOTIFY_SOCKET set, nothing is sent and nothing warns.
    qputenv("NOTIFY_SOCKET", "@rungroup-tst-console");
    auto unset = qScopeGuard([] { qunsetenv("NOTIFY_SOCKET"); });
    QCOMPARE(ServiceNotifier::backend(), QStringLiteral("none"));
    MessageCapture capture;
    RunGroup group;
    auto *notifier = new ServiceNotifier(&group);
    group.add([] { return failure("done"); });
    QCOMPARE(runToEnd(group), failure("done"));
    QVERIFY(!notifier->notify("STATUS=x"));
    QVERIFY2(capture.messages().isEmpty(), qPrintable(capture.messages().join(u'\n')));
}

namespace {
constexpr char kSecondSignalChild[] = "--second-signal-child";

// The child of secondCtrlCExitsAtOnce(): a group whose worker ignores its interrupt, so
// the shutdown never ends; Ctrl+C until the process is gone.
int secondSignalChild(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    RunGroup group;
    group.addSignalHandler();
    group.setSecondSignalExits(true);
    group.add([] { std::this_thread::sleep_for(std::chrono::seconds(60)); });
    std::thread sender([] {
        for (int i = 0; i < 1000; ++i) {
            deliverConsoleControlEvent(CTRL_C_EVENT);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    sender.detach();
    group.run();
    return 3; // not reached: the second Ctrl+C ends the process first
}
} // namespace

void tst_Console::secondCtrlCExitsAtOnce()
{
    // setSecondSignalExits(true): the first Ctrl+C stops the group, a later one ends the
    // process from the console routine with 128 + SIGINT and a line on stderr.
    QProcess child;
    child.start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(kSecondSignalChild)});
    QVERIFY2(child.waitForFinished(kTimeout), qPrintable(child.errorString()));
    const QByteArray errors = child.readAllStandardError();
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 128 + SIGINT);
    QVERIFY2(errors.contains("RunGroup: Received signal 2 while shutting down; exiting at once "
                             "with code 130"),
             errors.constData());
}

int main(int argc, char *argv[])
{
    if (argc > 1 && std::strcmp(argv[1], kSecondSignalChild) == 0)
        return secondSignalChild(argc, argv);
    QCoreApplication app(argc, argv);
    tst_Console test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_console.moc"
