// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Sends real POSIX signals from this process to rungroup-signal-helper, which runs a group
// with addSignalHandler() next to busy actor threads (so the kernel may deliver the signal
// to any of them), and checks the run's error and that the dispositions that were there
// before the group (default, ignored, a handler) are back once the actor exited.

#include <RunGroup/RunError>

#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtTest/QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/types.h>

#include "childprocess.h"

#ifndef RUNGROUP_SIGNAL_HELPER_PATH
#error "RUNGROUP_SIGNAL_HELPER_PATH must name the rungroup-signal-helper binary"
#endif
#ifndef RUNGROUP_SECOND_SIGNAL_HELPER_PATH
#error "RUNGROUP_SECOND_SIGNAL_HELPER_PATH must name the rungroup-second-signal-helper binary"
#endif

namespace {

// Generous, never a duration check; the helper also gives up on its own after a minute.
constexpr int kTimeout = 90 * 1000;

QStringList numbers(const QList<int> &signalNumbers)
{
    QStringList result;
    for (int n : signalNumbers)
        result.append(QString::number(n));
    return result;
}

} // namespace

class tst_Signals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void signalEndsRunAndRestoresDisposition_data();
    void signalEndsRunAndRestoresDisposition();
    void secondSignal_data();
    void secondSignal();
    void sigactionFailsAtStart();
};

void tst_Signals::initTestCase()
{
    QVERIFY2(QFileInfo(QStringLiteral(RUNGROUP_SIGNAL_HELPER_PATH)).isExecutable(),
             RUNGROUP_SIGNAL_HELPER_PATH);
}

void tst_Signals::signalEndsRunAndRestoresDisposition_data()
{
    QTest::addColumn<QString>("previous");   // the disposition before the group
    QTest::addColumn<QList<int>>("handled"); // empty: addSignalHandler()'s default
    QTest::addColumn<int>("sent");

    QTest::addRow("default list, SIGTERM, was default")
        << QStringLiteral("default") << QList<int>() << int(SIGTERM);
    QTest::addRow("default list, SIGINT, was default")
        << QStringLiteral("default") << QList<int>() << int(SIGINT);
    QTest::addRow("default list, SIGTERM, was ignored")
        << QStringLiteral("ignore") << QList<int>() << int(SIGTERM);
    QTest::addRow("SIGTERM, was a handler")
        << QStringLiteral("handler") << QList<int>({SIGTERM}) << int(SIGTERM);
    QTest::addRow("SIGHUP, was default")
        << QStringLiteral("default") << QList<int>({SIGHUP}) << int(SIGHUP);
    QTest::addRow("SIGUSR1 and SIGUSR2, SIGUSR2, was a handler")
        << QStringLiteral("handler") << QList<int>({SIGUSR1, SIGUSR2}) << int(SIGUSR2);
}

void tst_Signals::signalEndsRunAndRestoresDisposition()
{
    QFETCH(QString, previous);
    QFETCH(QList<int>, handled);
    QFETCH(int, sent);
    const QList<int> watched = handled.isEmpty() ? QList<int>({SIGINT, SIGTERM}) : handled;

    ChildProcess helper(QStringLiteral(RUNGROUP_SIGNAL_HELPER_PATH),
                        QStringList(previous) + numbers(handled), kTimeout);
    QVERIFY2(helper.process().waitForStarted(kTimeout), qPrintable(helper.process().errorString()));
    // "started" is printed from started(): the handlers are in place by then.
    QTRY_VERIFY_WITH_TIMEOUT(helper.stdoutLines().contains(QStringLiteral("started")), kTimeout);
    QCOMPARE(::kill(pid_t(helper.process().processId()), sent), 0);

    QTRY_COMPARE_WITH_TIMEOUT(helper.process().state(), QProcess::NotRunning, kTimeout);
    const QStringList lines = helper.stdoutLines();
    QVERIFY2(!lines.contains(QStringLiteral("watchdog")), qPrintable(lines.join(u'\n')));
    QVERIFY2(lines.contains(QStringLiteral("finished: ") + RunError::fromSignal(sent).toString()),
             qPrintable(lines.join(u'\n')));
    for (int n : watched) {
        const QString expected = QStringLiteral("disposition %1: %2").arg(n).arg(previous);
        QVERIFY2(lines.contains(expected),
                 qPrintable(expected + QStringLiteral(" not in:\n") + lines.join(u'\n')));
    }

    // The helper raised its first watched signal again: the previous disposition decides.
    if (previous == QLatin1String("default")) {
        QCOMPARE(helper.process().exitStatus(), QProcess::CrashExit);
        QVERIFY(!lines.contains(QStringLiteral("still alive")));
    } else {
        QCOMPARE(helper.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(helper.process().exitCode(), 0);
        QVERIFY(lines.contains(QStringLiteral("still alive")));
        QCOMPARE(lines.contains(QStringLiteral("own handler")),
                 previous == QLatin1String("handler"));
    }
}

void tst_Signals::secondSignal_data()
{
    QTest::addColumn<QString>("policy");   // exits: setSecondSignalExits(true)
    QTest::addColumn<QString>("shutdown"); // slow: an actor ignores its interrupt; stuck:
                                           // an interrupt blocks the group's thread
    QTest::addColumn<int>("second");

    QTest::addRow("exits, slow, SIGINT")
        << QStringLiteral("exits") << QStringLiteral("slow") << int(SIGINT);
    QTest::addRow("exits, stuck event loop, SIGTERM")
        << QStringLiteral("exits") << QStringLiteral("stuck") << int(SIGTERM);
    QTest::addRow("policy off, slow, SIGINT")
        << QStringLiteral("default") << QStringLiteral("slow") << int(SIGINT);
}

void tst_Signals::secondSignal()
{
    QFETCH(QString, policy);
    QFETCH(QString, shutdown);
    QFETCH(int, second);

    ChildProcess helper(QStringLiteral(RUNGROUP_SECOND_SIGNAL_HELPER_PATH), {policy, shutdown},
                        kTimeout);
    QVERIFY2(helper.process().waitForStarted(kTimeout), qPrintable(helper.process().errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(helper.stdoutLines().contains(QStringLiteral("started")), kTimeout);
    const pid_t pid = pid_t(helper.process().processId());
    QCOMPARE(::kill(pid, SIGTERM), 0);
    // The shutdown has begun and will not end by itself for a minute.
    QTRY_VERIFY_WITH_TIMEOUT(helper.stdoutLines().contains(QStringLiteral("interrupted")),
                             kTimeout);
    QCOMPARE(::kill(pid, second), 0);
    QVERIFY2(helper.waitForFinished(), helper.output().constData());

    const QStringList lines = helper.stdoutLines();
    QVERIFY2(!lines.contains(QStringLiteral("watchdog")), helper.output().constData());
    QVERIFY2(!lines.join(u'\n').contains(QStringLiteral("finished")), helper.output().constData());
    if (policy == QLatin1String("exits")) {
        QCOMPARE(helper.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(helper.process().exitCode(), 128 + second);
        const QString message =
            QStringLiteral("RunGroup: Received signal %1 while shutting down; exiting at once "
                           "with code %2\n")
                .arg(second)
                .arg(128 + second);
        QVERIFY2(helper.stderrText().contains(message), helper.output().constData());
    } else {
        // The previous (default) disposition is back once the signal actor exited.
        QCOMPARE(helper.process().exitStatus(), QProcess::CrashExit);
        QCOMPARE(helper.process().exitCode(), second);
    }
}

void tst_Signals::sigactionFailsAtStart()
{
    // sigaction() refuses SIGUSR2 (a seccomp filter in the helper): its error used to be
    // ignored, leaving the actor running with no handler. Now the actor exits at once with
    // the error, the run finishes, and SIGUSR1's handler, installed first, is removed again.
    ChildProcess helper(
        QStringLiteral(RUNGROUP_SIGNAL_HELPER_PATH),
        QStringList(QStringLiteral("sigaction-fails")) + numbers({SIGUSR1, SIGUSR2}), kTimeout);
    QVERIFY2(helper.waitForFinished(), helper.output().constData());
    if (helper.process().exitCode() == 77)
        QSKIP("Cannot install a seccomp filter here");
    QCOMPARE(helper.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(helper.process().exitCode(), 0);
    const QStringList lines = helper.stdoutLines();
    const QString expected =
        QStringLiteral("finished: ")
        + RunError::failure(QStringLiteral("RunGroup: Cannot install the handler of signal %1: %2")
                                .arg(SIGUSR2)
                                .arg(QString::fromLocal8Bit(std::strerror(EPERM))))
              .toString();
    QVERIFY2(lines.contains(expected), helper.output().constData());
    QVERIFY2(lines.contains(QStringLiteral("disposition %1: handler").arg(SIGUSR1)),
             helper.output().constData());
    QVERIFY2(lines.contains(QStringLiteral("disposition %1: default").arg(SIGUSR2)),
             helper.output().constData());
}

QTEST_GUILESS_MAIN(tst_Signals)
#include "tst_signals.moc"
