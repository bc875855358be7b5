// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The ready-made actor for a child process, addProcess().

#include <RunGroup/RunGroup>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <chrono>
#include <csignal>
#include <memory>
#include <thread>

#include "rungrouptest.h"
#include "testsync.h"

using namespace std::chrono_literals;

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
    QTest::addColumn<QString>("script");
    QTest::addColumn<RunError>("expected");
    QTest::addRow("exit 0") << QStringLiteral("exit 0") << RunError();
    QTest::addRow("exit 3 with stderr")
        << QStringLiteral("echo first line >&2; echo oops >&2; exit 3")
        << RunError::failure(
               QStringLiteral("RunGroup: Process /bin/sh exited with code 3; stderr: first "
                              "line\noops"));
    QTest::addRow("crash") << QStringLiteral("kill -SEGV $$")
                           << RunError::failure(
                                  QStringLiteral("RunGroup: Process /bin/sh crashed (signal 11)"));
}

void tst_Process::processExit()
{
    QFETCH(QString, script);
    QFETCH(RunError, expected);
    RunGroup group;
    QCOMPARE(group.addProcess(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script}), 0);
    QCOMPARE(group.actorName(0), QStringLiteral("sh"));
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
    // Another actor ends the run; the interrupt terminates the process, which counts as
    // doing what it was asked: no error of its own.
    RunGroup group;
    group.addProcess(QStringLiteral("/bin/sleep"), {QStringLiteral("600")});
    group.add([] { return RunError::failure(QStringLiteral("done")); });
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("done")));
    QCOMPARE(group.errors().value(0), RunError());
}

void tst_Process::processKilledAfterGracePeriod()
{
    // The process ignores SIGTERM (sleep inherits the ignored disposition through exec).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ready = dir.filePath(QStringLiteral("ready"));
    RunGroup group;
    group.addProcess(
        QStringLiteral("/bin/sh"),
        {QStringLiteral("-c"), QStringLiteral("trap '' TERM; touch \"$0\"; exec sleep 600"), ready},
        QStringLiteral("stubborn"), 100);
    group.add([ready] {
        QDeadlineTimer deadline(kTimeout);
        while (!QFileInfo::exists(ready) && !deadline.hasExpired())
            std::this_thread::sleep_for(1ms);
        return RunError::failure(QStringLiteral("done"));
    });
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("done")));
    QCOMPARE(group.errors().value(0),
             RunError::timeout(QStringLiteral("RunGroup: Process /bin/sh did not exit within "
                                              "100 ms of being terminated and was killed")));
}

void tst_Process::processConfiguredByCaller()
{
    QProcess process;
    process.setProgram(QStringLiteral("/bin/sh"));
    process.setArguments(
        {QStringLiteral("-c"), QStringLiteral("test \"$RUNGROUP_TEST\" = yes || exit 4")});
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("RUNGROUP_TEST"), QStringLiteral("yes"));
    process.setProcessEnvironment(environment);
    RunGroup group;
    QCOMPARE(group.addProcess(&process, QStringLiteral("configured")), 0);
    QCOMPARE(runToEnd(group), RunError());
    QCOMPARE(process.exitCode(), 0);

    environment.insert(QStringLiteral("RUNGROUP_TEST"), QStringLiteral("no"));
    process.setProcessEnvironment(environment);
    QCOMPARE(runToEnd(group),
             RunError::failure(QStringLiteral("RunGroup: Process /bin/sh exited with code 4")));
}

void tst_Process::processRestartsEachRun()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("log"));
    RunGroup group;
    group.addProcess(QStringLiteral("/bin/sh"),
                     {QStringLiteral("-c"), QStringLiteral("echo run >> \"$0\""), log});
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
    QCOMPARE(group.addProcess(QStringLiteral("/bin/true"), {}, {}, -1), -1);

    QProcess running;
    running.start(QStringLiteral("/bin/sleep"), {QStringLiteral("600")});
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
