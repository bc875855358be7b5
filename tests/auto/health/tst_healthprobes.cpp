// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The probe sequence a kubelet sees: examples/headless with --health-port, asked by
// QNetworkAccessManager (and curl, when installed) from start-up through ready, a SIGTERM,
// the shutdown and the exit.

#include <QtCore/QProcess>
#include <QtCore/QStringList>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <csignal>
#include <sys/types.h>

#include "headlessprocess.h"

namespace {
// Runs curl on url; returns the status code it saw ("000" when it got no answer).
QByteArray curlStatus(const QUrl &url)
{
    QProcess curl;
    curl.start(QStringLiteral(RUNGROUP_CURL),
               {QStringLiteral("--silent"), QStringLiteral("--noproxy"), QStringLiteral("*"),
                QStringLiteral("--max-time"), QStringLiteral("60"), QStringLiteral("--output"),
                QStringLiteral("/dev/null"), QStringLiteral("--write-out"),
                QStringLiteral("%{http_code}"), url.toString()});
    if (!curl.waitForFinished(kHealthTimeout))
        return "curl did not finish";
    return curl.readAllStandardOutput();
}

bool haveCurl()
{
    return !QByteArray(RUNGROUP_CURL).isEmpty();
}

// "503 x2, 200 x7, SIGTERM, 503 x12, refused": runs of equal answers.
QString summary(const QStringList &answers)
{
    QStringList runs;
    for (qsizetype i = 0; i < answers.size();) {
        qsizetype j = i;
        while (j < answers.size() && answers.at(j) == answers.at(i))
            ++j;
        runs.append(j - i > 1 ? QStringLiteral("%1 x%2").arg(answers.at(i)).arg(j - i)
                              : answers.at(i));
        i = j;
    }
    return runs.join(QStringLiteral(", "));
}
} // namespace

class tst_HealthProbes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sigtermSequence_data();
    void sigtermSequence();
    void busyHealthPort();

private:
    QNetworkAccessManager m_manager;
};

void tst_HealthProbes::initTestCase()
{
    QVERIFY2(QFileInfo(QStringLiteral(RUNGROUP_HEADLESS_PATH)).isExecutable(),
             RUNGROUP_HEADLESS_PATH);
    useNoProxy(m_manager);
    if (!haveCurl())
        qInfo("curl not found (Debian: curl): probing with QNetworkAccessManager only");
}

void tst_HealthProbes::sigtermSequence_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("slowShutdown");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<bool>("drain");
    QTest::addRow("plain") << QStringList() << false << 0 << false;
    // The drain: not ready, still serving, interrupts held back for --drain-delay.
    QTest::addRow("drain") << QStringList{QStringLiteral("--drain-delay"), QStringLiteral("3000")}
                           << true << 0 << true;
    // A worker that ignores its interrupt holds the shutdown for --shutdown-timeout: the
    // window in which the service is alive but not ready.
    QTest::addRow("slow shutdown")
        << QStringList{QStringLiteral("--stuck"), QStringLiteral("--shutdown-timeout"),
                       QStringLiteral("3000")}
        << true << 124 << false;
}

void tst_HealthProbes::sigtermSequence()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, slowShutdown);
    QFETCH(int, exitCode);
    QFETCH(bool, drain);

    HeadlessService service(QStringList{QStringLiteral("--health-port"), QStringLiteral("0")}
                            + arguments);
    QVERIFY2(service.waitForHealthPort(), service.output().constData());
    QStringList answers;
    const auto readyz = [&] {
        const HttpReply reply = httpRequest(m_manager, service.url(QStringLiteral("/readyz")));
        answers.append(reply.status ? QString::number(reply.status) : QStringLiteral("refused"));
        return reply;
    };

    // Start-up: 503 until the worker has ticked and the server started, then 200.
    QTRY_COMPARE_WITH_TIMEOUT(readyz().status, 200, kHealthTimeout);
    QVERIFY2(service.hasLine(QStringLiteral("[server] started")), service.output().constData());
    for (const QString &answer : std::as_const(answers))
        QVERIFY2(answer == QLatin1String("503") || answer == QLatin1String("200"),
                 qPrintable(summary(answers)));
    QCOMPARE(httpRequest(m_manager, service.url(QStringLiteral("/livez"))).status, 200);
    if (haveCurl()) {
        QCOMPARE(curlStatus(service.url(QStringLiteral("/readyz"))), QByteArray("200"));
        QCOMPARE(curlStatus(service.url(QStringLiteral("/livez"))), QByteArray("200"));
    }
    QCOMPARE(readyz().status, 200);

    // SIGTERM: once the signal handler's exit is reported, /readyz never says 200 again;
    // /livez answers as long as the process does.
    QCOMPARE(::kill(pid_t(service.process().processId()), SIGTERM), 0);
    answers.append(QStringLiteral("SIGTERM"));
    const QString signalExit = QStringLiteral("[signals] exited: Signal: Received signal SIGTERM");
    QTRY_VERIFY_WITH_TIMEOUT(service.hasLine(signalExit)
                                 || service.process().state() == QProcess::NotRunning,
                             kHealthTimeout);
    answers.append(QStringLiteral("(signal handler exited)"));
    int notReady = 0;
    bool interruptedAtFirstNotReady = false;
    int livezDuringShutdown = 0;
    int curlNotReady = 0;
    QDeadlineTimer deadline(kHealthTimeout);
    while (!deadline.hasExpired()) {
        const HttpReply reply = readyz();
        if (reply.status == 0)
            break; // the process is gone
        QVERIFY2(reply.status == 503, qPrintable(summary(answers)));
        if (notReady++ == 0)
            interruptedAtFirstNotReady =
                service.hasLine(QStringLiteral("[server] interrupted: Signal: Received signal "
                                               "SIGTERM"));
        if (httpRequest(m_manager, service.url(QStringLiteral("/livez"))).status == 200)
            ++livezDuringShutdown;
        QTest::qWait(10); // a probe's pace, not a synchronisation
        if (haveCurl() && curlNotReady == 0
            && curlStatus(service.url(QStringLiteral("/readyz"))) == "503")
            ++curlNotReady;
    }
    QVERIFY2(!deadline.hasExpired(), qPrintable(summary(answers)));
    qInfo("/readyz: %s", qPrintable(summary(answers)));
    if (drain) {
        // /readyz said 503 while the server still served: its interrupt came later.
        QVERIFY2(!interruptedAtFirstNotReady, qPrintable(summary(answers)));
    }
    if (slowShutdown) {
        QVERIFY2(notReady > 0, qPrintable(summary(answers)));
        QVERIFY2(livezDuringShutdown > 0, qPrintable(summary(answers)));
        if (haveCurl())
            QCOMPARE(curlNotReady, 1);
    }
    QVERIFY2(service.waitForExit(), service.output().constData());
    QCOMPARE(service.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(service.process().exitCode(), exitCode);
}

// A health port in use ends the program before any actor runs (listen() before start()).
void tst_HealthProbes::busyHealthPort()
{
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost));
    HeadlessService service({QStringLiteral("--health-port"), QString::number(busy.serverPort())});
    QVERIFY2(service.waitForExit(), service.output().constData());
    QCOMPARE(service.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(service.process().exitCode(), 1);
    QVERIFY2(service.stderrText().contains(
                 QStringLiteral("HealthEndpoint::listen: Cannot listen on 127.0.0.1:%1: ")
                     .arg(busy.serverPort())),
             service.output().constData());
    QVERIFY2(
        service.stderrText().contains(
            QStringLiteral("error: health: cannot listen on 127.0.0.1:%1").arg(busy.serverPort())),
        service.output().constData());
    for (const QString &line : service.stdoutLines())
        QVERIFY2(!line.endsWith(QLatin1String("] started")), service.output().constData());
}

QTEST_GUILESS_MAIN(tst_HealthProbes)
#include "tst_healthprobes.moc"
