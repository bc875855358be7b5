// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// HealthEndpoint in this process, asked by QNetworkAccessManager: /readyz through a run's
// start-up, readiness, stop and end; /readyz?verbose; /metrics' values, escaping and both
// formats; 404 and 405; listen() on a busy port; /livez answered only by the group's
// thread's event loop.

#include <RunGroup/HealthEndpoint>
#include <RunGroup/RunGroup>

#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <memory>
#include <thread>

#include "healthclient.h"

namespace {
// An event-driven actor that exits when told to.
class Switch : public QObject
{
    Q_OBJECT
public:
    void exit(const RunError &error = {}) { Q_EMIT exited(error); }
Q_SIGNALS:
    void exited(const RunError &error);
};

QUrl urlOf(const HealthEndpoint &endpoint, const QString &path)
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(endpoint.serverPort()).arg(path));
}

// The value of the sample `name` (with its labels, as written) in an exposition, or "".
QByteArray sampleValue(const QByteArray &exposition, const QByteArray &sample)
{
    const QList<QByteArray> lines = exposition.split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(sample + ' '))
            return line.mid(sample.size() + 1);
    }
    return {};
}
} // namespace

class tst_HealthEndpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void readyzThroughARun();
    void readyzVerbose();
    void readyzTurnsFirstOnStopping();
    void metricsValues();
    void metricsEscapesLabels();
    void openMetrics();
    void unknownPathAndMethod_data();
    void unknownPathAndMethod();
    void listenOnBusyPort();
    void listenTwiceAndClose();
    void livezNeedsTheGroupThread();
    void withoutGroup();
    void restarts();

private:
    QNetworkAccessManager m_manager;
};

void tst_HealthEndpoint::init()
{
    useNoProxy(m_manager);
}

// 503 while idle, while required actors are not ready, from the first exit on and once
// finished; 200 only in between. Each state is asked, not guessed from timing.
void tst_HealthEndpoint::readyzThroughARun()
{
    RunGroup group;
    Switch a;
    Switch b;
    const int first = group.addObject(
        &a, &Switch::exited, [&a] { a.exit(); }, QStringLiteral("a"));
    const int second = group.addObject(
        &b, &Switch::exited, [&b] { b.exit(); }, QStringLiteral("b"));
    group.requireReady(second);
    HealthEndpoint endpoint(&group);
    QVERIFY(endpoint.listen());
    QVERIFY(endpoint.serverPort() != 0);
    QSignalSpy readyChanged(&endpoint, &HealthEndpoint::readyChanged);

    const auto readyz = [&] { return httpRequest(m_manager, urlOf(endpoint, "/readyz")); };
    HttpReply reply = readyz();
    QCOMPARE(reply.status, 503); // idle
    QCOMPARE(reply.body, QByteArray("not ready\n"));
    QCOMPARE(httpRequest(m_manager, urlOf(endpoint, "/livez")).status, 200);

    group.start();
    QVERIFY(group.isReady(first));
    QCOMPARE(readyz().status, 503); // b is not ready yet
    QVERIFY(!endpoint.isReady());

    group.markReady(second);
    QVERIFY(endpoint.isReady());
    reply = readyz();
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body, QByteArray("ok\n"));
    QCOMPARE(reply.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(readyChanged.count(), 1);

    a.exit(RunError::failure(QStringLiteral("a failed"))); // the first exit
    QVERIFY(!endpoint.isReady());
    QCOMPARE(readyz().status, 503);
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kHealthTimeout);
    QCOMPARE(readyz().status, 503); // finished
    QCOMPARE(readyChanged.count(), 2);

    // A second run is ready again.
    group.start();
    group.markReady(second);
    QCOMPARE(readyz().status, 200);
    group.stop();
    QCOMPARE(readyz().status, 503);
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kHealthTimeout);
}

void tst_HealthEndpoint::readyzVerbose()
{
    RunGroup group;
    Switch a;
    Switch b;
    group.addObject(
        &a, &Switch::exited, [&a] { a.exit(); }, QStringLiteral("storage"));
    const int web = group.addObject(
        &b, &Switch::exited, [&b] { b.exit(); }, QString());
    group.requireReady(web);
    HealthEndpoint endpoint(&group);
    QVERIFY(endpoint.listen());
    const QUrl url = urlOf(endpoint, "/readyz?verbose");

    HttpReply reply = httpRequest(m_manager, url);
    QCOMPARE(reply.status, 503);
    QCOMPARE(reply.body, QByteArray("[-]run idle\n[-]storage not ready\n[-]actor 1 not "
                                    "ready\nreadyz check failed\n"));

    group.start();
    reply = httpRequest(m_manager, url);
    QCOMPARE(reply.status, 503);
    QCOMPARE(reply.body,
             QByteArray("[+]run ok\n[+]storage ok\n[-]actor 1 not ready\nreadyz check failed\n"));

    group.markReady(web);
    reply = httpRequest(m_manager, url);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body,
             QByteArray("[+]run ok\n[+]storage ok\n[+]actor 1 ok\nreadyz check passed\n"));
    QCOMPARE(reply.contentType, QByteArray("text/plain; charset=utf-8"));

    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kHealthTimeout);
    reply = httpRequest(m_manager, url);
    QCOMPARE(reply.status, 503);
    QCOMPARE(reply.body, QByteArray("[-]run finished\n[-]storage not ready\n[-]actor 1 not "
                                    "ready\nreadyz check failed\n"));

    QCOMPARE(httpRequest(m_manager, urlOf(endpoint, "/livez?verbose")).body,
             QByteArray("[+]ping ok\nlivez check passed\n"));
}

// /readyz turns 503 at the first state change after Running, before any actor has exited
// or been interrupted (a drain holds the interrupts back in that state).
void tst_HealthEndpoint::readyzTurnsFirstOnStopping()
{
    RunGroup group;
    Switch a;
    group.addObject(
        &a, &Switch::exited, [&a] { a.exit(); }, QStringLiteral("a"));
    HealthEndpoint endpoint(&group);
    QVERIFY(endpoint.listen());
    group.start();
    QVERIFY(endpoint.isReady());
    bool readyAtStateChange = true;
    int exitsAtStateChange = -1;
    int exits = 0;
    connect(&group, &RunGroup::actorExited, this, [&] { ++exits; });
    connect(&group, &RunGroup::stateChanged, this, [&](RunGroup::State state) {
        if (state != RunGroup::State::Running && exitsAtStateChange < 0) {
            readyAtStateChange = endpoint.isReady();
            exitsAtStateChange = exits;
        }
    });
    group.stop();
    QCOMPARE(exitsAtStateChange, 0);
    QVERIFY(!readyAtStateChange);
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kHealthTimeout);
}

void tst_HealthEndpoint::metricsValues()
{
    RunGroup group;
    Switch a;
    Switch b;
    group.addObject(
        &a, &Switch::exited, [] {}, QStringLiteral("a"));
    group.addObject(
        &b, &Switch::exited, [&b] { b.exit(); }, QStringLiteral("b"));
    HealthEndpoint endpoint(&group);
    QVERIFY(endpoint.listen());
    const QUrl url = urlOf(endpoint, "/metrics");

    HttpReply reply = httpRequest(m_manager, url);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    QCOMPARE(sampleValue(reply.body, "rungroup_runs_total"), QByteArray("0"));
    QCOMPARE(sampleValue(reply.body, "rungroup_state{state=\"idle\"}"), QByteArray("1"));
    QCOMPARE(sampleValue(reply.body, "rungroup_actors"), QByteArray("2"));
    QCOMPARE(sampleValue(reply.body, "rungroup_ready"), QByteArray("0"));
    QVERIFY2(!reply.body.contains("\nrungroup_time_to_ready_seconds "), reply.body);

    group.start();
    reply = httpRequest(m_manager, url);
    QCOMPARE(sampleValue(reply.body, "rungroup_runs_total"), QByteArray("1"));
    QCOMPARE(sampleValue(reply.body, "rungroup_state{state=\"running\"}"), QByteArray("1"));
    QCOMPARE(sampleValue(reply.body, "rungroup_state{state=\"idle\"}"), QByteArray("0"));
    QCOMPARE(sampleValue(reply.body, "rungroup_ready"), QByteArray("1"));
    QCOMPARE(sampleValue(reply.body, "rungroup_actor_up{actor=\"a\",index=\"0\"}"),
             QByteArray("1"));
    QCOMPARE(sampleValue(reply.body, "rungroup_actor_ready{actor=\"b\",index=\"1\"}"),
             QByteArray("1"));
    QVERIFY2(sampleValue(reply.body, "rungroup_time_to_ready_seconds").toDouble() >= 0, reply.body);
    QVERIFY2(!reply.body.contains("\nrungroup_shutdown_duration_seconds "), reply.body);

    a.exit(RunError::failure(QStringLiteral("a failed")));
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kHealthTimeout);
    group.start();
    a.exit(RunError::timeout());
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kHealthTimeout);

    reply = httpRequest(m_manager, url);
    const QByteArray a0 = "actor=\"a\",index=\"0\"";
    const QByteArray b1 = "actor=\"b\",index=\"1\"";
    QCOMPARE(sampleValue(reply.body, "rungroup_runs_total"), QByteArray("2"));
    QCOMPARE(sampleValue(reply.body, "rungroup_state{state=\"finished\"}"), QByteArray("1"));
    QCOMPARE(sampleValue(reply.body, "rungroup_actor_exits_total{" + a0 + ",kind=\"failure\"}"),
             QByteArray("1"));
    QCOMPARE(sampleValue(reply.body, "rungroup_actor_exits_total{" + a0 + ",kind=\"timeout\"}"),
             QByteArray("1"));
    QCOMPARE(sampleValue(reply.body, "rungroup_actor_exits_total{" + b1 + ",kind=\"no_error\"}"),
             QByteArray("2"));
    QCOMPARE(sampleValue(reply.body, "rungroup_actor_interrupts_total{" + a0 + '}'),
             QByteArray("2"));
    QCOMPARE(sampleValue(reply.body, "rungroup_actor_interrupts_total{" + b1 + '}'),
             QByteArray("2"));
    QCOMPARE(sampleValue(reply.body, "rungroup_actor_up{" + a0 + '}'), QByteArray("0"));
    QVERIFY2(sampleValue(reply.body, "rungroup_shutdown_duration_seconds").toDouble() >= 0
                 && !sampleValue(reply.body, "rungroup_shutdown_duration_seconds").isEmpty(),
             reply.body);
    // Every family has its # HELP and # TYPE, every sample its family, every name rungroup_.
    const QList<QByteArray> lines = reply.body.split('\n');
    QSet<QByteArray> typed;
    QSet<QByteArray> helped;
    for (const QByteArray &line : lines) {
        if (line.startsWith("# TYPE "))
            typed.insert(line.split(' ').at(2));
        else if (line.startsWith("# HELP "))
            helped.insert(line.split(' ').at(2));
        else if (!line.isEmpty()) {
            QVERIFY2(line.startsWith("rungroup_"), line);
            const QByteArray name = line.left(line.indexOf(line.contains('{') ? '{' : ' '));
            QVERIFY2(typed.contains(name), line);
        }
    }
    QCOMPARE(typed, helped);
    for (const QByteArray &name : std::as_const(typed)) {
        const bool counter = reply.body.contains("# TYPE " + name + " counter");
        QCOMPARE(name.endsWith("_total"), counter);
    }
}

void tst_HealthEndpoint::metricsEscapesLabels()
{
    RunGroup group;
    Switch a;
    group.addObject(
        &a, &Switch::exited, [&a] { a.exit(); }, QStringLiteral("say \"hi\"\\\nnext line"));
    HealthEndpoint endpoint(&group);
    QVERIFY(endpoint.listen());
    const HttpReply reply = httpRequest(m_manager, urlOf(endpoint, "/metrics"));
    QVERIFY2(reply.body.contains(
                 "rungroup_actor_up{actor=\"say \\\"hi\\\"\\\\\\nnext line\",index=\"0\"} 0\n"),
             reply.body);
    // /readyz?verbose keeps one line per actor.
    group.start();
    const HttpReply verbose = httpRequest(m_manager, urlOf(endpoint, "/readyz?verbose"));
    QCOMPARE(verbose.body.count('\n'), 3);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kHealthTimeout);
}

void tst_HealthEndpoint::openMetrics()
{
    RunGroup group;
    Switch a;
    group.addObject(
        &a, &Switch::exited, [&a] { a.exit(); }, QStringLiteral("a"));
    HealthEndpoint endpoint(&group);
    QVERIFY(endpoint.listen());
    group.start();
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kHealthTimeout);

    // What Prometheus 2.42 sends.
    const QByteArray accept = "application/openmetrics-text;version=1.0.0,application/"
                              "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;"
                              "q=0.5,*/*;q=0.1";
    HttpReply reply =
        httpRequest(m_manager, urlOf(endpoint, "/metrics"), "GET", {{"Accept", accept}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.contentType,
             QByteArray("application/openmetrics-text; version=1.0.0; charset=utf-8"));
    QVERIFY2(reply.body.endsWith("\n# EOF\n"), reply.body);
    QVERIFY2(reply.body.contains("# TYPE rungroup_runs counter\n"), reply.body);
    QVERIFY2(reply.body.contains("\nrungroup_runs_total 1\n"), reply.body);
    QVERIFY2(reply.body.contains("# UNIT rungroup_shutdown_duration_seconds seconds\n"),
             reply.body);
    QVERIFY2(reply.body.contains(
                 "rungroup_actor_exits_total{actor=\"a\",index=\"0\",kind=\"no_error\"} 1\n"),
             reply.body);

    // Plain text for everyone else, also for a refused OpenMetrics.
    for (const QByteArray &other :
         {QByteArray("text/plain"), QByteArray("application/openmetrics-text;q=0"), QByteArray()}) {
        reply = httpRequest(m_manager, urlOf(endpoint, "/metrics"), "GET", {{"Accept", other}});
        QCOMPARE(reply.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QVERIFY2(!reply.body.contains("# EOF"), reply.body);
        QVERIFY2(reply.body.contains("# TYPE rungroup_runs_total counter\n"), reply.body);
    }
}

void tst_HealthEndpoint::unknownPathAndMethod_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<int>("status");
    QTest::addRow("GET /") << "/" << QByteArray("GET") << 404;
    QTest::addRow("GET /nope") << "/nope" << QByteArray("GET") << 404;
    QTest::addRow("GET /livez/x") << "/livez/x" << QByteArray("GET") << 404;
    QTest::addRow("GET /LIVEZ") << "/LIVEZ" << QByteArray("GET") << 404;
    QTest::addRow("POST /livez") << "/livez" << QByteArray("POST") << 405;
    QTest::addRow("DELETE /readyz") << "/readyz" << QByteArray("DELETE") << 405;
    QTest::addRow("PUT /metrics") << "/metrics" << QByteArray("PUT") << 405;
    QTest::addRow("GET /livez") << "/livez" << QByteArray("GET") << 200;
}

void tst_HealthEndpoint::unknownPathAndMethod()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, verb);
    QFETCH(int, status);
    RunGroup group;
    HealthEndpoint endpoint(&group);
    QVERIFY(endpoint.listen());
    const HttpReply reply = httpRequest(m_manager, urlOf(endpoint, path), verb);
    QCOMPARE(reply.status, status);
    if (status == 405)
        QCOMPARE(reply.header("Allow"), QByteArray("GET"));
}

void tst_HealthEndpoint::listenOnBusyPort()
{
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost));
    RunGroup group;
    HealthEndpoint endpoint(&group);
    QTest::ignoreMessage(
        QtWarningMsg,
        QRegularExpression(
            QStringLiteral("^HealthEndpoint::listen: Cannot listen on 127\\.0\\.0\\.1:%1: .+")
                .arg(busy.serverPort())));
    QVERIFY(!endpoint.listen(QHostAddress::LocalHost, busy.serverPort()));
    QVERIFY(!endpoint.isListening());
    QCOMPARE(endpoint.serverPort(), quint16(0));
    // Nothing half-way: the group was never touched, and a free port still works.
    QCOMPARE(group.state(), RunGroup::State::Idle);
    QVERIFY(endpoint.listen());
}

void tst_HealthEndpoint::listenTwiceAndClose()
{
    RunGroup group;
    HealthEndpoint endpoint(&group);
    QVERIFY(endpoint.listen());
    const quint16 port = endpoint.serverPort();
    QTest::ignoreMessage(QtWarningMsg,
                         qPrintable(QStringLiteral("HealthEndpoint::listen: Already listening on "
                                                   "port %1; close() first")
                                        .arg(port)));
    QVERIFY(!endpoint.listen());
    QCOMPARE(endpoint.serverPort(), port);
    endpoint.close();
    QVERIFY(!endpoint.isListening());
    const HttpReply reply =
        httpRequest(m_manager, QUrl(QStringLiteral("http://127.0.0.1:%1/livez").arg(port)));
    QCOMPARE(reply.status, 0);
    QCOMPARE(reply.error, QNetworkReply::ConnectionRefusedError);
}

// The liveness probe is answered by the group thread's event loop: while that loop is
// blocked, a request waits; it is answered only after the loop runs again.
void tst_HealthEndpoint::livezNeedsTheGroupThread()
{
    RunGroup group;
    HealthEndpoint endpoint(&group);
    QVERIFY(endpoint.listen());
    const quint16 port = endpoint.serverPort();
    std::atomic<bool> sent{false};
    std::atomic<bool> unblocked{false};
    std::atomic<bool> answeredWhileBlocked{false};
    std::atomic<int> status{0};
    std::thread client([&] {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(kHealthTimeout))
            return;
        socket.write("GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        socket.waitForBytesWritten(kHealthTimeout);
        sent = true;
        QByteArray answer;
        QDeadlineTimer deadline(kHealthTimeout);
        while (!answer.contains("\r\n\r\n") && !deadline.hasExpired()) {
            if (socket.waitForReadyRead(1000)) {
                if (!unblocked)
                    answeredWhileBlocked = true;
                answer += socket.readAll();
            }
        }
        status = rawStatus(answer);
    });
    const auto join = qScopeGuard([&] { client.join(); });
    // Block the group's thread (this one) until the request is on its way, then a little
    // longer so it surely reached the server: no answer may come meanwhile.
    QDeadlineTimer deadline(kHealthTimeout);
    while (!sent && !deadline.hasExpired())
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    unblocked = true;
    QTRY_VERIFY_WITH_TIMEOUT(status != 0, kHealthTimeout);
    QCOMPARE(status.load(), 200);
    QVERIFY(!answeredWhileBlocked);
}

// No group, or a group destroyed first: /readyz says 503, /metrics what it last saw.
void tst_HealthEndpoint::withoutGroup()
{
    QTest::ignoreMessage(QtWarningMsg, "HealthEndpoint: No group given; /readyz answers 503");
    HealthEndpoint orphan(nullptr);
    QVERIFY(orphan.listen());
    QCOMPARE(httpRequest(m_manager, urlOf(orphan, "/readyz")).status, 503);
    QCOMPARE(httpRequest(m_manager, urlOf(orphan, "/livez")).status, 200);

    auto group = std::make_unique<RunGroup>();
    Switch a;
    group->addObject(
        &a, &Switch::exited, [&a] { a.exit(); }, QStringLiteral("a"));
    HealthEndpoint endpoint(group.get());
    QVERIFY(endpoint.listen());
    group->start();
    QVERIFY(endpoint.isReady());
    group.reset(); // destroyed running: stopped and canceled
    QVERIFY(!endpoint.isReady());
    QCOMPARE(endpoint.group(), nullptr);
    QCOMPARE(httpRequest(m_manager, urlOf(endpoint, "/readyz")).status, 503);
    const HttpReply metrics = httpRequest(m_manager, urlOf(endpoint, "/metrics"));
    QCOMPARE(metrics.status, 200);
    QCOMPARE(sampleValue(metrics.body, "rungroup_runs_total"), QByteArray("1"));
}

// A restart is counted, and the actor is not ready (nor is /readyz) until it is again.
void tst_HealthEndpoint::restarts()
{
    using namespace std::chrono_literals;
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    const int flaky = group.add(
        [runs] {
            if ((*runs)++ == 0)
                return RunError::failure(QStringLiteral("first try"));
            while (!QThread::currentThread()->isInterruptionRequested())
                QThread::msleep(5);
            return RunError();
        },
        {}, nullptr, QStringLiteral("flaky"));
    group.setExitPolicy(flaky, RunGroup::ExitPolicy::RestartOnError);
    HealthEndpoint endpoint(&group);
    QVERIFY(endpoint.listen());
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    QSignalSpy readyChanged(&endpoint, &HealthEndpoint::readyChanged);

    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(restarting.count(), 1, kHealthTimeout);
    // Ready before the failure, not while restarting, ready again once restarted.
    QTRY_COMPARE_WITH_TIMEOUT(readyChanged.count(), 3, kHealthTimeout);
    QCOMPARE(readyChanged.at(1).at(0).toBool(), false);
    QCOMPARE(httpRequest(m_manager, urlOf(endpoint, "/readyz")).status, 200);
    const HttpReply metrics = httpRequest(m_manager, urlOf(endpoint, "/metrics"));
    QCOMPARE(
        sampleValue(metrics.body, "rungroup_actor_restarts_total{actor=\"flaky\",index=\"0\"}"),
        QByteArray("1"));
    // A restart is no exit.
    QVERIFY2(!metrics.body.contains("\nrungroup_actor_exits_total{"), metrics.body);
    QCOMPARE(sampleValue(metrics.body, "rungroup_runs_total"), QByteArray("1"));
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kHealthTimeout);
}

QTEST_GUILESS_MAIN(tst_HealthEndpoint)
#include "tst_healthendpoint.moc"
