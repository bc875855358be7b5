// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// ServiceNotifier against a real unix datagram socket standing in for systemd, and the
// built-in sender (src/notifier/servicenotify_builtin.cpp, compiled in here) on its own, so that
// the fallback is tested whichever sender the library was built with.

#include <RunGroup/RunGroup>
#include <RunGroup/ServiceNotifier>

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <cerrno>
#include <climits>
#include <ctime>
#include <memory>
#include <thread>

#include <unistd.h>

#include "notifysocket.h"
#include "servicenotify_p.h"

// Lets QCOMPARE print RunError values.
char *toString(const RunError &error)
{
    return QTest::toString(error.toString());
}

namespace {

// Generous: sanitizer builds on a loaded two-core machine are slow. Never a duration check.
constexpr int oneMinute = 60 * 1000;

// A threaded actor that runs until interrupted.
int addSleeper(RunGroup &group, const QString &name)
{
    return group.add(
        [] {
            while (!QThread::currentThread()->isInterruptionRequested())
                QThread::msleep(5);
        },
        {}, nullptr, name);
}

// Waits until socket has received as many datagrams as expected holds; returns true if
// they are those.
bool receives(const NotifySocket &socket, const QList<QByteArray> &expected)
{
    const auto enough = [&] { return socket.texts().size() >= expected.size(); };
    return QTest::qWaitFor(enough, oneMinute) && socket.texts() == expected;
}

// An event-driven server actor that listens only some time after the run started, as a
// server that first loads its configuration would, and reports readiness after listen().
class LateServer : public QTcpServer
{
    Q_OBJECT

public:
    std::atomic<qint64> listenedAt{0};

    void listenLater(ServiceNotifier *notifier, int index)
    {
        QTimer::singleShot(300, this, [this, notifier, index] {
            if (!listen(QHostAddress::LocalHost))
                return;
            listenedAt = NotifySocket::now();
            notifier->markReady(index);
        });
    }
    void shutdown()
    {
        close();
        Q_EMIT stopped();
    }

Q_SIGNALS:
    void stopped();
};

} // namespace

class tst_ServiceNotifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void disabledWithoutSocket();
    void readyAtStartedByDefault();
    void readyAfterServerListened();
    void readyFromActorThread();
    void markReadyBeforeStart();
    void noReadyAfterFirstExit();
    void stoppingBeforeFinished();
    void statusNamesWhatRuns();
    void watchdogRate();
    void watchdogStopsWhenEventLoopBlocked();
    void watchdogEnvironment_data();
    void watchdogEnvironment();
    void badSocket_data();
    void badSocket();
    void abstractSocket();
    void customNotify();
    void requireReadyBadIndex();
    void marksReachTheGroupWithoutSocket();
    void readyWhenTheGroupSaysSo();
    void markReadyBadIndex();
    void reloadProtocol();
    void secondNotifier();
    void nullGroup();
    void builtInSender_data();
    void builtInSender();
    void builtInSenderDelivers_data();
    void builtInSenderDelivers();

private:
    std::unique_ptr<EnvironmentGuard> m_usec;
    std::unique_ptr<EnvironmentGuard> m_pid;
    std::unique_ptr<EnvironmentGuard> m_socket;
};

void tst_ServiceNotifier::initTestCase()
{
    qInfo("ServiceNotifier backend: %s", qPrintable(ServiceNotifier::backend()));
    QVERIFY(ServiceNotifier::backend() == QLatin1String("libsystemd")
            || ServiceNotifier::backend() == QLatin1String("built-in"));
}

void tst_ServiceNotifier::init()
{
    // Whatever ran this test (a systemd unit, say) must not leak into it.
    m_usec = std::make_unique<EnvironmentGuard>("WATCHDOG_USEC", QByteArray());
    m_pid = std::make_unique<EnvironmentGuard>("WATCHDOG_PID", QByteArray());
    m_socket = std::make_unique<EnvironmentGuard>("NOTIFY_SOCKET", QByteArray());
}

void tst_ServiceNotifier::disabledWithoutSocket()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    EnvironmentGuard usec("WATCHDOG_USEC", "garbage"); // not even read without a socket
    struct Group : RunGroup
    {
        using QObject::receivers;
    } group;
    addSleeper(group, QStringLiteral("worker"));
    auto *notifier = new ServiceNotifier(&group);
    QVERIFY(!notifier->isEnabled());
    QCOMPARE(notifier->watchdogInterval(), 0);
    QCOMPARE(notifier->group(), &group);
    // Costs nothing: no timer, no connection to the group.
    QVERIFY(notifier->findChildren<QTimer *>().isEmpty());
    QCOMPARE(group.receivers(SIGNAL(started())), 0);
    QCOMPARE(group.receivers(SIGNAL(finished(RunError))), 0);
    QVERIFY(!notifier->notify("STATUS=nobody listens"));
    notifier->markReady(0);

    QTimer::singleShot(0, &group, [&group] { group.stop(); });
    QCOMPARE(group.run(), RunError::canceled());
    QVERIFY(!notifier->isReady());
}

void tst_ServiceNotifier::readyAtStartedByDefault()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));

    RunGroup group;
    addSleeper(group, QStringLiteral("worker"));
    group.add([] {}, {}, nullptr, QString()); // unnamed, exits at once
    auto *notifier = new ServiceNotifier(&group);
    QVERIFY(notifier->isEnabled());
    QCOMPARE(notifier->watchdogInterval(), 0);
    QSignalSpy readySpy(notifier, &ServiceNotifier::readyChanged);
    QSignalSpy finishedSpy(&group, &RunGroup::finished);
    auto cleanup = qScopeGuard([&group] { group.stop(); });

    group.start();
    // READY=1 at started(), before any exit.
    QCOMPARE(readySpy.count(), 1);
    QVERIFY(notifier->isReady());
    QVERIFY(finishedSpy.wait(oneMinute));
    QCOMPARE(readySpy.count(), 2);
    QVERIFY(!notifier->isReady());

    const QList<QByteArray> expected = {
        "READY=1\nSTATUS=Running: worker, actor 1",
        "STOPPING=1\nSTATUS=Stopping",
        "STATUS=Stopping: waiting for worker",
        "STATUS=Stopped: no error",
    };
    QVERIFY2(receives(socket, expected), socket.dump().constData());
}

void tst_ServiceNotifier::readyAfterServerListened()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());

    RunGroup group;
    LateServer server;
    addSleeper(group, QStringLiteral("worker"));
    const int serverIndex = group.addObject(&server, &LateServer::stopped, &LateServer::shutdown,
                                            QStringLiteral("server"));
    auto *notifier = new ServiceNotifier(&group);
    notifier->requireReady(serverIndex);
    QObject::connect(&group, &RunGroup::started, &server,
                     [&] { server.listenLater(notifier, serverIndex); });
    auto cleanup = qScopeGuard([&group] { group.stop(); });

    group.start();
    QVERIFY(!notifier->isReady());
    QTRY_VERIFY_WITH_TIMEOUT(socket.count("READY=1\nSTATUS=Running: worker, server") == 1,
                             oneMinute);
    QVERIFY(server.isListening());
    QVERIFY(notifier->isReady());
    const QList<NotifySocket::Datagram> all = socket.datagrams();
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.at(0).text, QByteArray("STATUS=Starting: waiting for server to be ready"));
    // Sent after listen() succeeded, by the kernel's clock.
    QVERIFY2(all.at(1).sentNs >= server.listenedAt, socket.dump().constData());
    QVERIFY(server.listenedAt > all.at(0).sentNs);

    QSignalSpy finishedSpy(&group, &RunGroup::finished);
    group.stop();
    QVERIFY(finishedSpy.wait(oneMinute));
    QTRY_COMPARE_WITH_TIMEOUT(socket.lastText(), QByteArray("STATUS=Stopped: Canceled"), oneMinute);
    QCOMPARE(socket.count("READY=1\nSTATUS=Running: worker, server"), 1);
}

void tst_ServiceNotifier::readyFromActorThread()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());

    RunGroup group;
    auto *notifier = new ServiceNotifier(&group);
    std::atomic<bool> reported{false};
    // The actor reports readiness from its own thread, after some work.
    const int index = group.add(
        [notifier, &reported] {
            QThread::msleep(100);
            notifier->markReady(0);
            reported = true;
            while (!QThread::currentThread()->isInterruptionRequested())
                QThread::msleep(5);
        },
        {}, nullptr, QStringLiteral("cache"));
    QCOMPARE(index, 0);
    notifier->requireReady(index);
    auto cleanup = qScopeGuard([&group] { group.stop(); });
    group.start();
    QTRY_VERIFY_WITH_TIMEOUT(notifier->isReady(), oneMinute);
    QVERIFY(reported);
    QTRY_COMPARE_WITH_TIMEOUT(socket.count("READY=1\nSTATUS=Running: cache"), 1, oneMinute);
    QCOMPARE(socket.firstText(), QByteArray("STATUS=Starting: waiting for cache to be ready"));
}

void tst_ServiceNotifier::markReadyBeforeStart()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());

    RunGroup group;
    const int index = addSleeper(group, QStringLiteral("listener"));
    auto *notifier = new ServiceNotifier(&group);
    notifier->requireReady(index);
    notifier->markReady(index); // e.g. listen() succeeded before the run
    auto cleanup = qScopeGuard([&group] { group.stop(); });
    group.start();
    QVERIFY(notifier->isReady());

    // Reports are forgotten when a run finishes: the next run waits again.
    QSignalSpy finishedSpy(&group, &RunGroup::finished);
    group.stop();
    QVERIFY(finishedSpy.wait(oneMinute));
    group.start();
    QVERIFY(!notifier->isReady());
    notifier->markReady(index);
    QVERIFY(notifier->isReady());
    QTRY_COMPARE_WITH_TIMEOUT(socket.count("READY=1\nSTATUS=Running: listener"), 2, oneMinute);
}

void tst_ServiceNotifier::noReadyAfterFirstExit()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());

    RunGroup group;
    const int server = addSleeper(group, QStringLiteral("server"));
    group.add([] { return RunError::failure(QStringLiteral("no config")); }, {}, nullptr,
              QStringLiteral("config"));
    auto *notifier = new ServiceNotifier(&group);
    notifier->requireReady(server);
    QObject::connect(&group, &RunGroup::actorExited, notifier,
                     [notifier, server] { notifier->markReady(server); }); // too late
    QCOMPARE(group.run(), RunError::failure(QStringLiteral("no config")));
    QVERIFY(!notifier->isReady());

    const QList<QByteArray> expected = {
        "STATUS=Starting: waiting for server to be ready",
        "STOPPING=1\nSTATUS=Stopping",
        "STATUS=Stopping: waiting for server",
        "STATUS=Stopped: Failure: no config",
    };
    QVERIFY2(receives(socket, expected), socket.dump().constData());
}

void tst_ServiceNotifier::stoppingBeforeFinished()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());

    RunGroup group;
    addSleeper(group, QStringLiteral("worker"));
    group.add(
        [] {
            QThread::msleep(200);
            return RunError::failure(QStringLiteral("boom"));
        },
        {}, nullptr, QStringLiteral("job"));
    std::atomic<qint64> interruptingAt{0};
    std::atomic<qint64> finishedAt{0};
    QObject::connect(&group, &RunGroup::stateChanged, &group, [&](RunGroup::State state) {
        if (state == RunGroup::State::Interrupting)
            interruptingAt = NotifySocket::now();
    });
    QObject::connect(&group, &RunGroup::finished, &group,
                     [&] { finishedAt = NotifySocket::now(); });
    new ServiceNotifier(&group); // connected after the slots above: runs after them
    group.run();

    QTRY_COMPARE_WITH_TIMEOUT(socket.lastText(), QByteArray("STATUS=Stopped: Failure: boom"),
                              oneMinute);
    const QList<NotifySocket::Datagram> stopping = socket.matching("STOPPING=1\nSTATUS=Stopping");
    QCOMPARE(stopping.size(), 1);
    // Sent as the group became Interrupting, before finished().
    QVERIFY(stopping.at(0).sentNs >= interruptingAt);
    QVERIFY(stopping.at(0).sentNs <= finishedAt);
    const QList<QByteArray> texts = socket.texts();
    QVERIFY(texts.indexOf("READY=1\nSTATUS=Running: worker, job") == 0);
    QVERIFY(texts.indexOf("STOPPING=1\nSTATUS=Stopping") == 1);
}

void tst_ServiceNotifier::statusNamesWhatRuns()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());

    // Three actors that stop in turn once interrupted, each once the group has reported
    // the exit of the one before: each exit updates the status.
    RunGroup group;
    std::atomic<int> reported{0};
    for (int i = 0; i < 3; ++i) {
        group.add(
            [i, &reported] {
                while (!QThread::currentThread()->isInterruptionRequested() || reported < i)
                    QThread::msleep(5);
            },
            {}, nullptr, QStringLiteral("a%1").arg(i));
    }
    new ServiceNotifier(&group);
    QObject::connect(&group, &RunGroup::actorExited, &group, [&reported] { ++reported; });
    QTimer::singleShot(0, &group, [&group] { group.stop(RunError::fromSignal(SIGTERM)); });
    group.run();
    const QList<QByteArray> expected = {
        "READY=1\nSTATUS=Running: a0, a1, a2",
        "STOPPING=1\nSTATUS=Stopping",
        "STATUS=Stopping: waiting for a1, a2",
        "STATUS=Stopping: waiting for a2",
        "STATUS=Stopped: Signal: Received signal SIGTERM",
    };
    QVERIFY2(receives(socket, expected), socket.dump().constData());
}

void tst_ServiceNotifier::watchdogRate()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());
    EnvironmentGuard usec("WATCHDOG_USEC", "200000"); // 200 ms: a ping every 100 ms

    RunGroup group;
    addSleeper(group, QStringLiteral("worker"));
    auto *notifier = new ServiceNotifier(&group);
    QCOMPARE(notifier->watchdogInterval(), 100);
    QTimer *timer = notifier->findChild<QTimer *>();
    QVERIFY(timer);
    QVERIFY(!timer->isActive()); // nothing before the run

    auto cleanup = qScopeGuard([&group] { group.stop(); });
    group.start();
    QTRY_VERIFY_WITH_TIMEOUT(socket.count("WATCHDOG=1") >= 6, oneMinute);
    // Coarse rate check: five intervals of 100 ms cannot take less than half of 500 ms.
    const QList<NotifySocket::Datagram> pings = socket.matching("WATCHDOG=1");
    const qint64 spanMs = (pings.at(5).sentNs - pings.at(0).sentNs) / 1000000;
    QVERIFY2(spanMs >= 250, qPrintable(QString::number(spanMs)));

    // The pings end with the run.
    QSignalSpy finishedSpy(&group, &RunGroup::finished);
    group.stop();
    QVERIFY(finishedSpy.wait(oneMinute));
    QVERIFY(!timer->isActive());
    QTRY_COMPARE_WITH_TIMEOUT(socket.lastText(), QByteArray("STATUS=Stopped: Canceled"), oneMinute);
}

void tst_ServiceNotifier::watchdogStopsWhenEventLoopBlocked()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());
    EnvironmentGuard usec("WATCHDOG_USEC", "200000");

    RunGroup group;
    addSleeper(group, QStringLiteral("worker"));
    new ServiceNotifier(&group);
    auto cleanup = qScopeGuard([&group] { group.stop(); });
    group.start();
    QTRY_VERIFY_WITH_TIMEOUT(socket.count("WATCHDOG=1") >= 2, oneMinute);

    // A stuck event loop on the group's thread: ten intervals without a ping, which is
    // what makes systemd restart a hung service. Its worker thread runs on meanwhile.
    const qint64 blockedFrom = NotifySocket::now();
    QThread::msleep(1000);
    const qint64 blockedUntil = NotifySocket::now();
    for (const NotifySocket::Datagram &ping : socket.matching("WATCHDOG=1")) {
        QVERIFY2(ping.sentNs < blockedFrom || ping.sentNs > blockedUntil,
                 socket.dump().constData());
    }
    // And they resume with the event loop.
    const auto pingedSince = [&socket, blockedUntil] {
        const QList<NotifySocket::Datagram> pings = socket.matching("WATCHDOG=1");
        return !pings.isEmpty() && pings.constLast().sentNs > blockedUntil;
    };
    QTRY_VERIFY_WITH_TIMEOUT(pingedSince(), oneMinute);
}

void tst_ServiceNotifier::watchdogEnvironment_data()
{
    QTest::addColumn<QByteArray>("usec");
    QTest::addColumn<QByteArray>("pid"); // "self": this process
    QTest::addColumn<int>("interval");
    QTest::addColumn<QString>("warning");

    const QByteArray none; // unset
    QTest::addRow("unset") << none << none << 0 << QString();
    QTest::addRow("1 s") << QByteArray("1000000") << none << 500 << QString();
    QTest::addRow("tiny") << QByteArray("1") << none << 1 << QString();
    QTest::addRow("zero") << QByteArray("0") << none << 0 << QString();
    QTest::addRow("garbage") << QByteArray("soon") << none << 0
                             << QStringLiteral("ServiceNotifier: Ignoring WATCHDOG_USEC=soon: not "
                                               "a number of microseconds");
    QTest::addRow("negative") << QByteArray("-5") << none << 0
                              << QStringLiteral("ServiceNotifier: Ignoring WATCHDOG_USEC=-5: not "
                                                "a number of microseconds");
    // Half of it above INT_MAX ms: pinged every INT_MAX ms (24.8 days), still in time.
    QTest::addRow("INT_MAX ms") << QByteArray("4294967294000") << none << INT_MAX << QString();
    QTest::addRow("just above INT_MAX ms")
        << QByteArray("4294967296000") << none << INT_MAX << QString();
    QTest::addRow("UINT64_MAX") << QByteArray("18446744073709551615") << none << INT_MAX
                                << QString();
    QTest::addRow("overflow") << QByteArray("99999999999999999999999") << none << 0
                              << QStringLiteral("ServiceNotifier: Ignoring "
                                                "WATCHDOG_USEC=99999999999999999999999: not a "
                                                "number of microseconds");
    QTest::addRow("pid self") << QByteArray("1000000") << QByteArray("self") << 500 << QString();
    QTest::addRow("pid other") << QByteArray("1000000") << QByteArray("1") << 0 << QString();
    QTest::addRow("pid garbage") << QByteArray("1000000") << QByteArray("me") << 0
                                 << QStringLiteral(
                                        "ServiceNotifier: Ignoring WATCHDOG_PID=me: not a "
                                        "process id");
}

void tst_ServiceNotifier::watchdogEnvironment()
{
    QFETCH(QByteArray, usec);
    QFETCH(QByteArray, pid);
    QFETCH(int, interval);
    QFETCH(QString, warning);

    FakeServiceManager socket;
    QVERIFY(socket.isValid());
    EnvironmentGuard usecEnv("WATCHDOG_USEC", usec);
    EnvironmentGuard pidEnv("WATCHDOG_PID",
                            pid == "self" ? QByteArray::number(qint64(::getpid())) : pid);
    if (!warning.isEmpty())
        QTest::ignoreMessage(QtWarningMsg, qPrintable(warning));
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    RunGroup group;
    ServiceNotifier notifier(&group);
    QVERIFY(notifier.isEnabled());
    QCOMPARE(notifier.watchdogInterval(), interval);
    QCOMPARE(notifier.findChildren<QTimer *>().size(), interval > 0 ? 1 : 0);
}

void tst_ServiceNotifier::badSocket_data()
{
    QTest::addColumn<QByteArray>("address");
    QTest::addRow("malformed") << QByteArray("not-a-socket");
    QTest::addRow("unreachable") << QByteArray("/nonexistent-rungroup-dir/notify");
    QTest::addRow("not a socket") << QByteArray("/dev/null");
}

void tst_ServiceNotifier::badSocket()
{
    QFETCH(QByteArray, address);
    EnvironmentGuard env("NOTIFY_SOCKET", address);
    EnvironmentGuard usec("WATCHDOG_USEC", "100000");

    // One warning however many messages fail; the group runs on.
    QTest::ignoreMessage(
        QtWarningMsg,
        QRegularExpression(QStringLiteral("^ServiceNotifier: Cannot notify the "
                                          "service manager at ")
                           + QRegularExpression::escape(QString::fromLocal8Bit(address))
                           + QStringLiteral(": .+$")));
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    RunGroup group;
    addSleeper(group, QStringLiteral("worker"));
    auto *notifier = new ServiceNotifier(&group);
    QVERIFY(notifier->isEnabled());
    QCOMPARE(notifier->watchdogInterval(), 50);
    for (int i = 0; i < 3; ++i)
        QVERIFY(!notifier->notify("STATUS=hello"));
    QTimer::singleShot(200, &group, [&group] { group.stop(); }); // a few watchdog ticks
    QCOMPARE(group.run(), RunError::canceled());
    QCOMPARE(group.errors(), QList<RunError>{RunError()});
}

void tst_ServiceNotifier::abstractSocket()
{
    FakeServiceManager socket(true);
    QVERIFY(socket.isValid());
    QVERIFY(socket.address().startsWith('@'));
    RunGroup group;
    addSleeper(group, QStringLiteral("worker"));
    new ServiceNotifier(&group);
    QTimer::singleShot(0, &group, [&group] { group.stop(); });
    group.run();
    QTRY_COMPARE_WITH_TIMEOUT(socket.texts().size(), 3, oneMinute);
    QCOMPARE(socket.firstText(), QByteArray("READY=1\nSTATUS=Running: worker"));
}

void tst_ServiceNotifier::customNotify()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());
    RunGroup group;
    ServiceNotifier notifier(&group);
    QVERIFY(notifier.notify("RELOADING=1\nSTATUS=Reloading"));
    QTRY_COMPARE_WITH_TIMEOUT(socket.texts(), QList<QByteArray>{"RELOADING=1\nSTATUS=Reloading"},
                              oneMinute);
}

void tst_ServiceNotifier::requireReadyBadIndex()
{
    RunGroup group;
    addSleeper(group, QStringLiteral("worker"));
    ServiceNotifier notifier(&group);
    QTest::ignoreMessage(QtWarningMsg, "ServiceNotifier::requireReady: No actor 1 in the group");
    notifier.requireReady(1);
    QTest::ignoreMessage(QtWarningMsg, "ServiceNotifier::requireReady: No actor -1 in the group");
    notifier.requireReady(-1);
    notifier.requireReady(0);
}

// requireReady() and markReady() forward to the group, whose readiness lets dependents
// start, also without NOTIFY_SOCKET; a mark made before start() counts once the actor
// starts, and marks are forgotten when the run finishes.
void tst_ServiceNotifier::marksReachTheGroupWithoutSocket()
{
    RunGroup group;
    const int storage = addSleeper(group, QStringLiteral("storage"));
    const int web = addSleeper(group, QStringLiteral("web"));
    QVERIFY(group.setDependencies(web, {storage}));
    auto *notifier = new ServiceNotifier(&group);
    QVERIFY(!notifier->isEnabled());
    notifier->requireReady(storage);
    QVERIFY(group.requiresReady(storage));
    notifier->markReady(storage); // before start(): counts when storage starts
    QSignalSpy started(&group, &RunGroup::actorStarted);
    auto cleanup = qScopeGuard([&group] { group.stop(); });
    group.start();
    QVERIFY(group.isReady(storage));
    QVERIFY(group.isStarted(web));
    QCOMPARE(started.count(), 2);

    QSignalSpy finishedSpy(&group, &RunGroup::finished);
    group.stop();
    QVERIFY(finishedSpy.wait(oneMinute));
    // The next run waits again, until a mark from another thread.
    group.start();
    QVERIFY(!group.isReady(storage));
    QVERIFY(!group.isStarted(web));
    std::thread other([notifier, storage] { notifier->markReady(storage); });
    other.join();
    QTRY_VERIFY_WITH_TIMEOUT(group.isStarted(web), oneMinute);
    QVERIFY(!notifier->isReady()); // nothing is sent without a socket
}

// READY=1 follows the group's own readiness: RunGroup::requireReady() and markReady()
// used directly, and an actor that waits for its dependencies.
void tst_ServiceNotifier::readyWhenTheGroupSaysSo()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());

    RunGroup group;
    const int storage = addSleeper(group, QStringLiteral("storage"));
    const int web = addSleeper(group, QStringLiteral("web"));
    QVERIFY(group.setDependencies(web, {storage}));
    group.requireReady(storage);
    auto *notifier = new ServiceNotifier(&group);
    auto cleanup = qScopeGuard([&group] { group.stop(); });
    group.start();
    QVERIFY(!notifier->isReady());
    group.markReady(storage);
    QVERIFY(notifier->isReady());
    QTRY_COMPARE_WITH_TIMEOUT(socket.count("READY=1\nSTATUS=Running: storage, web"), 1, oneMinute);
    QCOMPARE(socket.firstText(), QByteArray("STATUS=Starting: waiting for storage to be ready"));
    notifier->markReady(storage); // already ready: ignored silently, as in 1.0
    notifier->markReady(web);     // ready once started: ignored silently
}

void tst_ServiceNotifier::markReadyBadIndex()
{
    RunGroup group;
    addSleeper(group, QStringLiteral("worker"));
    auto *notifier = new ServiceNotifier(&group);
    QTest::ignoreMessage(QtWarningMsg, "ServiceNotifier::markReady: No actor 7 in the group");
    notifier->markReady(7);
    QTest::ignoreMessage(QtWarningMsg, "ServiceNotifier::markReady: No actor -1 in the group");
    notifier->markReady(-1);
}

// systemd's Type=notify-reload: RELOADING=1 with MONOTONIC_USEC= (the monotonic clock when
// the round began), then READY=1 once every reload handler returned.
void tst_ServiceNotifier::reloadProtocol()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());

    RunGroup group;
    const int server = addSleeper(group, QStringLiteral("server"));
    bool handled = false;
    group.setReloadHandler(server, [&handled] { handled = true; });
    new ServiceNotifier(&group);
    auto cleanup = qScopeGuard([&group] { group.stop(); });
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(socket.count("READY=1\nSTATUS=Running: server"), 1, oneMinute);
    timespec before{};
    ::clock_gettime(CLOCK_MONOTONIC, &before);
    QSignalSpy reloaded(&group, &RunGroup::reloaded);
    group.reload();
    QVERIFY(reloaded.wait(oneMinute));
    QVERIFY(handled);
    timespec after{};
    ::clock_gettime(CLOCK_MONOTONIC, &after);
    QTRY_COMPARE_WITH_TIMEOUT(socket.count("READY=1\nSTATUS=Running: server"), 2, oneMinute);
    QList<QByteArray> texts = socket.texts();
    texts.removeAll("WATCHDOG=1");
    const int at = texts.indexOf("READY=1\nSTATUS=Running: server", 0);
    QVERIFY(at >= 0 && at + 2 < texts.size());
    const QList<QByteArray> lines = texts.at(at + 1).split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), QByteArray("RELOADING=1"));
    QVERIFY(lines.at(1).startsWith("MONOTONIC_USEC="));
    QCOMPARE(lines.at(2), QByteArray("STATUS=Reloading"));
    const qulonglong usec = lines.at(1).mid(15).toULongLong();
    const auto toUsec = [](const timespec &t) {
        return qulonglong(t.tv_sec) * 1000000ULL + qulonglong(t.tv_nsec) / 1000;
    };
    QVERIFY(usec >= toUsec(before) && usec <= toUsec(after));
    QCOMPARE(texts.at(at + 2), QByteArray("READY=1\nSTATUS=Running: server"));
}

void tst_ServiceNotifier::secondNotifier()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());
    RunGroup group;
    addSleeper(group, QStringLiteral("worker"));
    new ServiceNotifier(&group);
    QTest::ignoreMessage(
        QtWarningMsg, "ServiceNotifier: The group already has a notifier; this one does nothing");
    auto *second = new ServiceNotifier(&group);
    QVERIFY(!second->isEnabled());
    QTimer::singleShot(0, &group, [&group] { group.stop(); });
    group.run();
    QTRY_COMPARE_WITH_TIMEOUT(socket.lastText(), QByteArray("STATUS=Stopped: Canceled"), oneMinute);
    QCOMPARE(socket.count("READY=1\nSTATUS=Running: worker"), 1);
}

void tst_ServiceNotifier::nullGroup()
{
    FakeServiceManager socket;
    QVERIFY(socket.isValid());
    QTest::ignoreMessage(QtWarningMsg,
                         "ServiceNotifier: The group is null; this notifier does nothing");
    ServiceNotifier notifier(nullptr);
    QVERIFY(!notifier.isEnabled());
    QCOMPARE(notifier.group(), nullptr);
    QTest::ignoreMessage(QtWarningMsg, "ServiceNotifier::requireReady: No actor 0 in the group");
    notifier.requireReady(0);
    notifier.markReady(0);
    QVERIFY(!notifier.notify("READY=1"));
}

void tst_ServiceNotifier::builtInSender_data()
{
    QTest::addColumn<QByteArray>("address");
    QTest::addColumn<int>("error");
    QTest::addRow("empty") << QByteArray() << int(EINVAL);
    QTest::addRow("relative") << QByteArray("run/notify") << int(EINVAL);
    QTest::addRow("bare @") << QByteArray("@") << int(EINVAL);
    QTest::addRow("vsock") << QByteArray("vsock:2:1234") << int(EINVAL);
    QTest::addRow("embedded zero") << QByteArray("/tmp/a\0b", 8) << int(EINVAL);
    QTest::addRow("too long") << ('/' + QByteArray(200, 'x')) << int(ENAMETOOLONG);
    QTest::addRow("missing") << QByteArray("/nonexistent-rungroup-dir/notify") << int(ENOENT);
    QTest::addRow("no listener") << QByteArray("@rungroup-test-nobody-listens")
                                 << int(ECONNREFUSED);
}

void tst_ServiceNotifier::builtInSender()
{
    QFETCH(QByteArray, address);
    QFETCH(int, error);
    QCOMPARE(ServiceNotify::sendBuiltIn(address, "READY=1"), error);
}

void tst_ServiceNotifier::builtInSenderDelivers_data()
{
    QTest::addColumn<bool>("abstract");
    QTest::addRow("path") << false;
    QTest::addRow("abstract") << true;
}

void tst_ServiceNotifier::builtInSenderDelivers()
{
    QFETCH(bool, abstract);
    NotifySocket socket(abstract);
    QVERIFY(socket.isValid());
    QCOMPARE(ServiceNotify::sendBuiltIn(socket.address(), "READY=1\nSTATUS=up"), 0);
    QCOMPARE(ServiceNotify::sendBuiltIn(socket.address(), "WATCHDOG=1"), 0);
    const QList<QByteArray> expected = {"READY=1\nSTATUS=up", "WATCHDOG=1"};
    QTRY_COMPARE_WITH_TIMEOUT(socket.texts(), expected, oneMinute);
}

QTEST_GUILESS_MAIN(tst_ServiceNotifier)
#include "tst_servicenotifier.moc"
