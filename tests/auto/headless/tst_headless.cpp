// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Runs the real examples/headless binary with QProcess, talks to its TCP server and ends
// it with real POSIX signals, a deadline, a failing worker and a busy port.

#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>

#include <csignal>
#include <sys/types.h>

#include "childprocess.h"
#include "notifysocket.h"
#include "tracefile.h"

#ifndef RUNGROUP_HEADLESS_PATH
#error "RUNGROUP_HEADLESS_PATH must name the rungroup-headless binary"
#endif

namespace {

// Generous: sanitizer builds on a loaded two-core machine are slow. Never a duration check.
constexpr int oneMinute = 60 * 1000;

// One run of rungroup-headless, with the example's own line formats.
class Headless : public ChildProcess
{
public:
    explicit Headless(const QStringList &arguments,
                      const QProcessEnvironment &environment = cleanEnvironment())
        : ChildProcess(QStringLiteral(RUNGROUP_HEADLESS_PATH), arguments, oneMinute, environment)
    { }

    // This process's environment without the service manager's variables, which a test
    // run from a systemd unit would otherwise pass on.
    static QProcessEnvironment cleanEnvironment()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"})
            environment.remove(QString::fromLatin1(name));
        return environment;
    }

    // Returns the port of the "listening on 127.0.0.1:<port>" line, or 0 before it came.
    quint16 port() const
    {
        static const QRegularExpression listening(
            QStringLiteral("^listening on 127\\.0\\.0\\.1:(\\d+)$"));
        for (const QString &line : stdoutLines()) {
            const QRegularExpressionMatch match = listening.match(line);
            if (match.hasMatch())
                return quint16(match.captured(1).toUInt());
        }
        return 0;
    }

    bool hasLine(const QString &line) const { return stdoutLines().contains(line); }

    // Waits for the listening line; false if the process ended or timed out first.
    bool waitForPort()
    {
        const auto listeningOrEnded = [this] {
            return port() != 0 || process().state() == QProcess::NotRunning;
        };
        return QTest::qWaitFor(listeningOrEnded, oneMinute) && port() != 0;
    }
};

// Sends line to the server and returns its one-line answer, without the newline.
QByteArray ask(QTcpSocket &socket, const QByteArray &line)
{
    socket.write(line + '\n');
    if (!socket.waitForBytesWritten(oneMinute))
        return "write failed: " + socket.errorString().toUtf8();
    QDeadlineTimer deadline(oneMinute);
    while (!socket.canReadLine() && !deadline.hasExpired()) {
        if (!socket.waitForReadyRead(int(deadline.remainingTime())))
            break;
    }
    if (!socket.canReadLine())
        return "no answer: " + socket.errorString().toUtf8();
    return socket.readLine().trimmed();
}

} // namespace

class tst_Headless : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void stopsOnSignal_data();
    void stopsOnSignal();
    void duration();
    void failAfter();
    void portInUse();
    void badOption();
    void stuckActorTimesOut();
    void traceSurvivesKill();
    void exitCodes_data();
    void exitCodes();
    void notifyProtocol();
    void notifyBadSocket();
    void flakyWorkerRestartsThenEnds();
    void sighupReloadsTheSettings();
    void traceFromEnvironment();
};

void tst_Headless::initTestCase()
{
    QVERIFY2(QFileInfo(QStringLiteral(RUNGROUP_HEADLESS_PATH)).isExecutable(),
             RUNGROUP_HEADLESS_PATH);
}

void tst_Headless::stopsOnSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("signalName");
    QTest::addRow("SIGTERM") << int(SIGTERM) << QStringLiteral("SIGTERM");
    QTest::addRow("SIGINT") << int(SIGINT) << QStringLiteral("SIGINT");
}

void tst_Headless::stopsOnSignal()
{
    QFETCH(int, signalNumber);
    QFETCH(QString, signalName);

    Headless headless({});
    QVERIFY2(headless.waitForPort(), headless.output().constData());

    // An answer proves the group is running, so the signal handler is installed.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, headless.port());
    QVERIFY2(socket.waitForConnected(oneMinute), qPrintable(socket.errorString()));
    QCOMPARE(ask(socket, "ping"), QByteArray("pong"));
    QVERIFY(ask(socket, "status").startsWith("ticks "));
    QCOMPARE(ask(socket, "hello"), QByteArray("unknown command"));
    // The worker is ticking: its count goes up.
    QTRY_VERIFY_WITH_TIMEOUT(headless.hasLine(QStringLiteral("[worker] tick 1")), oneMinute);
    QVERIFY(ask(socket, "status") != "ticks 0");

    QCOMPARE(::kill(pid_t(headless.process().processId()), signalNumber), 0);
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QVERIFY2(headless.process().exitStatus() == QProcess::NormalExit,
             headless.output().constData());
    QCOMPARE(headless.process().exitCode(), 0);

    const QString error = QStringLiteral("Signal: Received signal ") + signalName;
    const QStringList expected = {
        QStringLiteral("[signals] started"),
        QStringLiteral("[server] started"),
        QStringLiteral("[worker] started"),
        QStringLiteral("[signals] exited: ") + error,
        QStringLiteral("[server] interrupted: ") + error,
        QStringLiteral("[worker] interrupted: ") + error,
        QStringLiteral("[server] exited: no error"),
        QStringLiteral("[worker] exited: no error"),
        QStringLiteral("finished: ") + error,
    };
    for (const QString &line : expected)
        QVERIFY2(headless.hasLine(line), qPrintable(line + QLatin1Char('\n') + headless.output()));
    QCOMPARE(headless.stdoutLines().constLast(), QStringLiteral("finished: ") + error);
    // Ordered start and stop: the server starts once the worker is ready, and the worker is
    // interrupted only once the server has exited.
    const QStringList lines = headless.stdoutLines();
    const auto at = [&lines](const QString &line) { return lines.indexOf(line); };
    QVERIFY2(at(QStringLiteral("[worker] ready")) >= 0, headless.output().constData());
    QVERIFY2(at(QStringLiteral("[worker] ready")) < at(QStringLiteral("[server] started")),
             headless.output().constData());
    QVERIFY2(at(QStringLiteral("[server] exited: no error"))
                 < at(QStringLiteral("[worker] interrupted: ") + error),
             headless.output().constData());
    QCOMPARE(headless.stderrText(), QString());
}

void tst_Headless::duration()
{
    Headless headless({QStringLiteral("--duration"), QStringLiteral("500")});
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(headless.process().exitCode(), 0);

    const QStringList expected = {
        QStringLiteral("[timer] started"),
        QStringLiteral("[timer] exited: no error"),
        QStringLiteral("[server] interrupted: no error"),
        QStringLiteral("[worker] interrupted: no error"),
        QStringLiteral("[timer] interrupted: no error"),
        QStringLiteral("[signals] exited: no error"),
        QStringLiteral("[server] exited: no error"),
        QStringLiteral("[worker] exited: no error"),
        QStringLiteral("finished: no error"),
    };
    for (const QString &line : expected)
        QVERIFY2(headless.hasLine(line), qPrintable(line + QLatin1Char('\n') + headless.output()));
    QCOMPARE(headless.stderrText(), QString());
}

void tst_Headless::failAfter()
{
    Headless headless({QStringLiteral("--fail-after"), QStringLiteral("300")});
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(headless.process().exitCode(), 1);

    const QString error = QStringLiteral("Failure: worker: simulated failure");
    const QStringList expected = {
        QStringLiteral("[worker] exited: ") + error,
        QStringLiteral("[server] interrupted: ") + error,
        QStringLiteral("[worker] interrupted: ") + error,
        QStringLiteral("[signals] exited: no error"),
        QStringLiteral("[server] exited: no error"),
        QStringLiteral("finished: ") + error,
    };
    for (const QString &line : expected)
        QVERIFY2(headless.hasLine(line), qPrintable(line + QLatin1Char('\n') + headless.output()));
    QCOMPARE(headless.stderrText(), QStringLiteral("error: worker: simulated failure\n"));
}

void tst_Headless::portInUse()
{
    QTcpServer busy;
    QVERIFY2(busy.listen(QHostAddress::LocalHost), qPrintable(busy.errorString()));
    const QString port = QString::number(busy.serverPort());

    Headless headless({QStringLiteral("--port"), port});
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(headless.process().exitCode(), 1);
    QVERIFY2(headless.stderrText().startsWith(QStringLiteral("error: server: cannot listen on "
                                                             "127.0.0.1:")
                                              + port + QLatin1Char(':')),
             headless.output().constData());
    // Nothing ran: the port is bound before the group starts.
    QCOMPARE(headless.stdoutLines(), QStringList());
}

void tst_Headless::badOption()
{
    Headless headless({QStringLiteral("--duration"), QStringLiteral("soon")});
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(headless.process().exitCode(), 2);
    QVERIFY2(headless.stderrText().startsWith(QStringLiteral("error: ")),
             headless.output().constData());
}

void tst_Headless::stuckActorTimesOut()
{
    // SIGTERM asks for an orderly stop, but the worker ignores its interrupt: the group
    // gives up on it after the shutdown timeout and the process exits with 124, the worker's
    // thread still running.
    Headless headless(
        {QStringLiteral("--stuck"), QStringLiteral("--shutdown-timeout"), QStringLiteral("500")});
    QVERIFY2(headless.waitForPort(), headless.output().constData());
    QTRY_VERIFY_WITH_TIMEOUT(headless.hasLine(QStringLiteral("[worker] tick 1")), oneMinute);
    QCOMPARE(::kill(pid_t(headless.process().processId()), SIGTERM), 0);
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(headless.process().exitCode(), 124);

    const QString error = QStringLiteral("Signal: Received signal SIGTERM");
    const QString timeout = QStringLiteral("RunGroup: Actor 2 did not exit within 500 ms");
    const QStringList expected = {
        QStringLiteral("[signals] exited: ") + error,
        QStringLiteral("[worker] interrupted: ") + error,
        QStringLiteral("[worker] stuck: ignoring the interrupt"),
        QStringLiteral("[server] exited: no error"),
        QStringLiteral("[worker] exited: Timeout: ") + timeout,
        QStringLiteral("finished: ") + error,
    };
    for (const QString &line : expected)
        QVERIFY2(headless.hasLine(line), qPrintable(line + QLatin1Char('\n') + headless.output()));
    QCOMPARE(headless.stderrText(), QStringLiteral("error: ") + timeout + QLatin1Char('\n'));
}

void tst_Headless::exitCodes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("sigterm");
    QTest::addColumn<int>("exitCode");
    QTest::addRow("SIGTERM") << QStringList() << true << 0;
    QTest::addRow("failing actor")
        << QStringList{QStringLiteral("--fail-after"), QStringLiteral("300")} << false << 1;
    QTest::addRow("stuck actor, shutdown timeout")
        << QStringList{QStringLiteral("--stuck"), QStringLiteral("--shutdown-timeout"),
                       QStringLiteral("300")}
        << true << 124;
}

// The three ends a supervisor tells apart, through bindToApplication()'s exit codes.
void tst_Headless::exitCodes()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, sigterm);
    QFETCH(int, exitCode);

    Headless headless(arguments);
    QVERIFY2(headless.waitForPort(), headless.output().constData());
    if (sigterm) {
        QTRY_VERIFY_WITH_TIMEOUT(headless.hasLine(QStringLiteral("[worker] tick 1")), oneMinute);
        QCOMPARE(::kill(pid_t(headless.process().processId()), SIGTERM), 0);
    }
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitStatus(), QProcess::NormalExit);
    qInfo("rungroup-headless %s: exit code %d", qPrintable(arguments.join(QLatin1Char(' '))),
          headless.process().exitCode());
    QCOMPARE(headless.process().exitCode(), exitCode);
}

void tst_Headless::notifyProtocol()
{
    // The example under a stand-in for systemd: Type=notify, WatchdogSec=0.4.
    NotifySocket socket;
    QVERIFY(socket.isValid());
    QProcessEnvironment environment = Headless::cleanEnvironment();
    environment.insert(QStringLiteral("NOTIFY_SOCKET"), QString::fromLocal8Bit(socket.address()));
    environment.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("400000"));
    Headless headless({}, environment);
    QVERIFY2(headless.waitForPort(), headless.output().constData());

    const QByteArray ready = "READY=1\nSTATUS=Running: signals, server, worker";
    QTRY_VERIFY_WITH_TIMEOUT(socket.count(ready) == 1, oneMinute);
    // READY=1 only once the worker ticked (it requires that), so after the server listened.
    QTRY_VERIFY_WITH_TIMEOUT(headless.hasLine(QStringLiteral("[worker] tick 1")), oneMinute);
    QTRY_VERIFY_WITH_TIMEOUT(socket.count("WATCHDOG=1") >= 2, oneMinute);

    QCOMPARE(::kill(pid_t(headless.process().processId()), SIGTERM), 0);
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    const qint64 exitedAt = NotifySocket::now();
    QCOMPARE(headless.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(headless.process().exitCode(), 0);
    QCOMPARE(headless.stderrText(), QString());

    const QByteArray stopped = "STATUS=Stopped: Signal: Received signal SIGTERM";
    QTRY_VERIFY_WITH_TIMEOUT(socket.count(stopped) == 1, oneMinute);
    const QList<NotifySocket::Datagram> all = socket.datagrams();
    qInfo("datagrams received from rungroup-headless:\n%s", socket.dump().constData());

    // Starting, READY, pings, then STOPPING and what the stop waits for, then the end; all
    // sent before the process exited.
    QList<QByteArray> withoutPings;
    for (const NotifySocket::Datagram &d : all) {
        QVERIFY(d.sentNs <= exitedAt);
        if (d.text != "WATCHDOG=1")
            withoutPings.append(d.text);
    }
    const QList<QByteArray> expected = {
        "STATUS=Starting: waiting for worker to be ready",
        ready,
        "STOPPING=1\nSTATUS=Stopping",
        "STATUS=Stopping: waiting for server, worker",
        "STATUS=Stopping: waiting for worker",
        stopped,
    };
    QVERIFY2(withoutPings == expected, socket.dump().constData());
    QCOMPARE(all.constLast().text, stopped);
}

// --flaky: the worker fails every 3 ticks and restarts after a growing backoff; the fifth
// failure within a minute ends the run with exit code 1.
void tst_Headless::flakyWorkerRestartsThenEnds()
{
    Headless headless({QStringLiteral("--flaky")});
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(headless.process().exitCode(), 1);
    const QString error = QStringLiteral("Failure: worker: flaky failure");
    static const QRegularExpression restarting(
        QStringLiteral("^\\[worker\\] restarting: attempt (\\d) in (-?\\d+) ms after: (.*)$"));
    QList<int> attempts;
    for (const QString &line : headless.stdoutLines()) {
        const QRegularExpressionMatch match = restarting.match(line);
        if (!match.hasMatch())
            continue;
        attempts.append(match.captured(1).toInt());
        QCOMPARE(match.captured(3), error);
    }
    QCOMPARE(attempts, (QList<int>{1, 2, 3, 4}));
    QCOMPARE(headless.stdoutLines().count(QStringLiteral("[worker] started")), 5);
    QCOMPARE(headless.stdoutLines().count(QStringLiteral("[worker] ready")), 5);
    QVERIFY2(headless.hasLine(QStringLiteral("[worker] exited: ") + error),
             headless.output().constData());
    QVERIFY2(headless.hasLine(QStringLiteral("finished: ") + error), headless.output().constData());
    QCOMPARE(headless.stderrText(), QStringLiteral("error: worker: flaky failure\n"));
}

// SIGHUP reloads the settings file without ending the run; under systemd the reload is
// told as RELOADING=1 with MONOTONIC_USEC=, then READY=1.
void tst_Headless::sighupReloadsTheSettings()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString config = dir.filePath(QStringLiteral("headless.conf"));
    const auto write = [&config](const QByteArray &text) {
        QFile file(config);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
               && file.write(text) == text.size();
    };
    QVERIFY(write("interval=100\n"));
    QProcessEnvironment environment = Headless::cleanEnvironment();
    environment.insert(QStringLiteral("NOTIFY_SOCKET"), QString::fromLocal8Bit(socket.address()));
    Headless headless({QStringLiteral("--config"), config}, environment);
    QVERIFY2(headless.waitForPort(), headless.output().constData());
    QTRY_VERIFY_WITH_TIMEOUT(socket.count("READY=1\nSTATUS=Running: signals, server, worker") == 1,
                             oneMinute);
    QVERIFY(write("interval=50\n"));
    const pid_t pid = pid_t(headless.process().processId());
    QCOMPARE(::kill(pid, SIGHUP), 0);
    QTRY_VERIFY_WITH_TIMEOUT(headless.hasLine(QStringLiteral("[worker] reloaded: interval 50 ms")),
                             oneMinute);
    QTRY_VERIFY_WITH_TIMEOUT(socket.count("READY=1\nSTATUS=Running: signals, server, worker") == 2,
                             oneMinute);
    QCOMPARE(::kill(pid, SIGTERM), 0);
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitCode(), 0);
    qInfo("datagrams of a SIGHUP reload:\n%s", socket.dump().constData());
    int reloading = 0;
    for (const QByteArray &text : socket.texts()) {
        if (text.startsWith("RELOADING=1\nMONOTONIC_USEC="))
            ++reloading;
    }
    QCOMPARE(reloading, 1);
    QCOMPARE(headless.stderrText(), QString());
}

void tst_Headless::notifyBadSocket()
{
    // A NOTIFY_SOCKET nobody listens on: one warning, and the service runs as usual.
    QProcessEnvironment environment = Headless::cleanEnvironment();
    environment.insert(QStringLiteral("NOTIFY_SOCKET"),
                       QStringLiteral("/nonexistent-rungroup-dir/notify"));
    environment.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("100000"));
    Headless headless({QStringLiteral("--duration"), QStringLiteral("800")}, environment);
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(headless.process().exitCode(), 0);
    QVERIFY2(headless.hasLine(QStringLiteral("finished: no error")), headless.output().constData());
    QCOMPARE(headless.stderrText(),
             QStringLiteral("rungroup.notifier: ServiceNotifier: Cannot notify the service "
                            "manager at /nonexistent-rungroup-dir/notify: No such file or "
                            "directory\n"));
}

void tst_Headless::traceFromEnvironment()
{
    // RUNGROUP_TRACE=<file> traces the example's run: a lane per actor.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(QStringLiteral("trace.json"));
    qputenv("RUNGROUP_TRACE", QFile::encodeName(fileName));
    const auto unset = qScopeGuard([] { qunsetenv("RUNGROUP_TRACE"); });
    Headless headless({QStringLiteral("--duration"), QStringLiteral("300")});
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitCode(), 0);

    const QJsonArray events = readTrace(fileName);
    QStringList lanes;
    QStringList spans;
    for (const QJsonValue &value : events) {
        const QJsonObject e = value.toObject();
        if (e.value(u"name") == QLatin1String("thread_name"))
            lanes.append(e.value(u"args").toObject().value(u"name").toString());
        else if (e.value(u"ph") == QLatin1String("B"))
            spans.append(e.value(u"name").toString());
    }
    QCOMPARE(lanes, QStringList({QStringLiteral("run"), QStringLiteral("actor 0 \"signals\""),
                                 QStringLiteral("actor 1 \"server\""),
                                 QStringLiteral("actor 2 \"worker\""),
                                 QStringLiteral("actor 3 \"timer\"")}));
    QVERIFY(spans.contains(QStringLiteral("running")));
    QVERIFY(spans.contains(QStringLiteral("interrupting")));
}

void tst_Headless::traceSurvivesKill()
{
    // The trace used to be written when a run finished: a hung shutdown killed by its
    // supervisor, the run a user most wants to look at, left none. Now every event is in
    // the file as it happens: SIGKILL during a stuck shutdown leaves a loadable trace.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(QStringLiteral("trace.json"));
    qputenv("RUNGROUP_TRACE", QFile::encodeName(fileName));
    const auto unset = qScopeGuard([] { qunsetenv("RUNGROUP_TRACE"); });
    Headless headless({QStringLiteral("--stuck")}); // no shutdown timeout: waits for good
    QTRY_VERIFY_WITH_TIMEOUT(headless.hasLine(QStringLiteral("[worker] tick 1")), oneMinute);
    QCOMPARE(::kill(pid_t(headless.process().processId()), SIGTERM), 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        headless.hasLine(QStringLiteral("[worker] stuck: ignoring the interrupt")), oneMinute);
    // The worker's lane is interrupting once the shutdown began.
    const auto interrupting = [&fileName] {
        const QJsonArray events = readTrace(fileName);
        for (const QJsonValue &value : events) {
            const QJsonObject e = value.toObject();
            if (e.value(u"ph") == QLatin1String("B")
                && e.value(u"name") == QLatin1String("interrupting"))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(interrupting(), oneMinute);
    QCOMPARE(::kill(pid_t(headless.process().processId()), SIGKILL), 0);
    QVERIFY2(headless.waitForFinished(), headless.output().constData());
    QCOMPARE(headless.process().exitStatus(), QProcess::CrashExit);

    const QJsonArray events = readTrace(fileName);
    QStringList lanes;
    QStringList begun;
    QStringList exited;
    bool runEnded = false;
    for (const QJsonValue &value : events) {
        const QJsonObject e = value.toObject();
        const QString name = e.value(u"name").toString();
        const QString phase = e.value(u"ph").toString();
        if (name == QLatin1String("thread_name"))
            lanes.append(e.value(u"args").toObject().value(u"name").toString());
        else if (phase == QLatin1String("B"))
            begun.append(name);
        else if (phase == QLatin1String("i") && name == QLatin1String("exited"))
            exited.append(e.value(u"args").toObject().value(u"error").toString());
        else if (phase == QLatin1String("E") && name == QLatin1String("run"))
            runEnded = true;
    }
    QCOMPARE(lanes.size(), 4); // the run, signals, server and worker (no --duration timer)
    QVERIFY(begun.contains(QStringLiteral("run")));
    QVERIFY(begun.contains(QStringLiteral("running")));
    QVERIFY(begun.contains(QStringLiteral("interrupting")));
    QVERIFY2(exited.contains(QStringLiteral("Signal: Received signal SIGTERM")),
             qPrintable(exited.join(u'\n')));
    QVERIFY(!runEnded); // killed before the run finished
}

QTEST_GUILESS_MAIN(tst_Headless)
#include "tst_headless.moc"
