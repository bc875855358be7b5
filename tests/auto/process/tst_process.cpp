// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The ready-made actor for a child process, addProcess(). The child is
// rungroup-process-child (helper/processchild.cpp), on every platform.

#include <RunGroup/RunGroup>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <chrono>
#include <memory>
#include <thread>

#include "rungrouptest.h"
#include "testsync.h"

using namespace std::chrono_literals;

namespace {
const QString kChild = QStringLiteral(RUNGROUP_PROCESS_CHILD_PATH);

QStringList arguments(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *argument : list)
        result << QString::fromLocal8Bit(argument);
    return result;
}
} // namespace

class tst_Process : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void processExit_data();
    void processExit();
    void processCannotStart();
    void processInterruptTerminates();
    void processKilledAfterGracePeriod();
    void processConfiguredByCaller();
    void processRestartsEachRun();
    void processBadInput();
};

void tst_Process::processExit_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<RunError>("expected");
    QTest::addRow("exit 0") << arguments({"exit", "0"}) << RunError();
    QTest::addRow("exit 3 with stderr")
        << arguments({"exit", "3", "first line", "oops"})
        << RunError::failure(
               QStringLiteral("RunGroup: Process %1 exited with code 3; stderr: first line\noops")
                   .arg(kChild));
#ifdef Q_OS_WIN
    // The exception code is the exit code of a crashed Windows process.
    const QString crash = QStringLiteral("RunGroup: Process %1 crashed (exception 0xc0000005)");
#else
    const QString crash = QStringLiteral("RunGroup: Process %1 crashed (signal 11)");
#endif
    QTest::addRow("crash") << arguments({"crash"}) << RunError::failure(crash.arg(kChild));
}

void tst_Process::processExit()
{
    QFETCH(QStringList, arguments);
    QFETCH(RunError, expected);
    RunGroup group;
    QCOMPARE(group.addProcess(kChild, arguments), 0);
    QCOMPARE(group.actorName(0), QFileInfo(kChild).fileName());
    QCOMPARE(runToEnd(group), expected);
}

void tst_Process::processCannotStart()
{
    // A failure with the OS's reason, never a hang.
    RunGroup group;
    const QString program = QStringLiteral("/nonexistent/rungroup-no-such-program");
    QCOMPARE(group.addProcess(program, {}, QStringLiteral("missing")), 0);
    auto gate = std::make_shared<Gate>();
    group.add([gate] { gate->wait(); }, [gate] { gate->open(); });
    const RunError error = runToEnd(group);
    QCOMPARE(error.kind(), RunError::Kind::Failure);
    const QString prefix = QStringLiteral("RunGroup: Cannot start process %1: ").arg(program);
    QVERIFY2(error.message().startsWith(prefix), qPrintable(error.message()));
    QVERIFY2(error.message().size() > prefix.size(), qPrintable(error.message()));
    QCOMPARE(group.errors().value(1), RunError());
}

void tst_Process::processInterruptTerminates()
{
    // Another actor ends the run; the interrupt terminates the process. POSIX: SIGTERM
    // ends it, which counts as doing what it was asked: no error of its own. Windows:
    // terminate() is WM_CLOSE, which a console program never sees, so it is killed after
    // the grace period: Kind::Timeout (docs/building.md, "Platform differences").
    RunGroup group;
#ifdef Q_OS_WIN
    group.addProcess(kChild, arguments({"sleep"}), {}, 100);
#else
    group.addProcess(kChild, arguments({"sleep"}));
#endif
    group.add([] { return RunError::failure(QStringLiteral("done")); });
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("done")));
#ifdef Q_OS_WIN
    QCOMPARE(group.errors().value(0),
             RunError::timeout(QStringLiteral("RunGroup: Process %1 did not exit within 100 ms "
                                              "of being terminated and was killed")
                                   .arg(kChild)));
#else
    QCOMPARE(group.errors().value(0), RunError());
#endif
}

void tst_Process::processKilledAfterGracePeriod()
{
    // The process ignores SIGTERM (Windows: WM_CLOSE, as every console program does).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ready = dir.filePath(QStringLiteral("ready"));
    RunGroup group;
    group.addProcess(kChild, {QStringLiteral("stubborn"), ready}, QStringLiteral("stubborn"), 100);
    group.add([ready] {
        QDeadlineTimer deadline(kTimeout);
        while (!QFileInfo::exists(ready) && !deadline.hasExpired())
            std::this_thread::sleep_for(1ms);
        return RunError::failure(QStringLiteral("done"));
    });
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("done")));
    QCOMPARE(group.errors().value(0),
             RunError::timeout(QStringLiteral("RunGroup: Process %1 did not exit within "
                                              "100 ms of being terminated and was killed")
                                   .arg(kChild)));
}

void tst_Process::processConfiguredByCaller()
{
    QProcess process;
    process.setProgram(kChild);
    process.setArguments(arguments({"env"}));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("RUNGROUP_TEST"), QStringLiteral("yes"));
    process.setProcessEnvironment(environment);
    RunGroup group;
    QCOMPARE(group.addProcess(&process, QStringLiteral("configured")), 0);
    QCOMPARE(runToEnd(group), RunError());
    QCOMPARE(process.exitCode(), 0);

    environment.insert(QStringLiteral("RUNGROUP_TEST"), QStringLiteral("no"));
    process.setProcessEnvironment(environment);
    QCOMPARE(
        runToEnd(group),
        RunError::failure(QStringLiteral("RunGroup: Process %1 exited with code 4").arg(kChild)));
}

void tst_Process::processRestartsEachRun()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("log"));
    RunGroup group;
    group.addProcess(kChild, {QStringLiteral("append"), log});
    QCOMPARE(runToEnd(group), RunError());
    QCOMPARE(runToEnd(group), RunError());
    QFile file(log);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("run\nrun\n"));
}

void tst_Process::processBadInput()
{
    RunGroup group;
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addProcess: The program is empty");
    QCOMPARE(group.addProcess(QString()), -1);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addProcess: The process is null");
    QCOMPARE(group.addProcess(static_cast<QProcess *>(nullptr)), -1);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addProcess: The kill timeout must not be negative");
    QCOMPARE(group.addProcess(kChild, arguments({"exit", "0"}), {}, -1), -1);

    QProcess running;
    running.start(kChild, arguments({"sleep"}));
    QVERIFY(running.waitForStarted(kTimeout));
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addProcess: The process is already running");
    QCOMPARE(group.addProcess(&running), -1);
    running.kill();
    running.waitForFinished(kTimeout);

    QThread other;
    QProcess elsewhere;
    elsewhere.moveToThread(&other);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addProcess: The process must live on the group's thread");
    QCOMPARE(group.addProcess(&elsewhere), -1);
    QCOMPARE(group.count(), 0);
}

QTEST_GUILESS_MAIN(tst_Process)
#include "tst_process.moc"
