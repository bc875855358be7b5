// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The ready-made actor for objects on a worker event-loop thread, addWorkerThread(), and
// RunGroup::exitWorker().

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QPointer>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "rungrouptest.h"
#include "testseams_p.h"

using namespace std::chrono_literals;

class tst_WorkerThread : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workerHostsTcpServer();
    void workerInterruptRunsOnWorkerThread();
    void workerDeletesObjects();
    void workerBadInput();
    void workerThreadCannotStart_data();
    void workerThreadCannotStart();
    void exitWorkerElsewhere();
};

namespace {

// A line server: "ping" gets "pong <name of the thread that answered>"; "fail <text>" makes
// it emit failed(text), which the test connects to RunGroup::exitWorker().
class LineServer : public QTcpServer
{
    Q_OBJECT
public:
    LineServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = nextPendingConnection()) {
                connect(client, &QTcpSocket::readyRead, client, [this, client] {
                    while (client->canReadLine()) {
                        const QByteArray line = client->readLine().trimmed();
                        if (line == "ping")
                            client->write("pong " + QThread::currentThread()->objectName().toUtf8()
                                          + "\n");
                        else if (line.startsWith("fail "))
                            Q_EMIT failed(QString::fromUtf8(line.mid(5)));
                    }
                });
                connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            }
        });
    }

Q_SIGNALS:
    void failed(const QString &reason);
};

// Reads one line from client, processing this thread's events meanwhile.
QByteArray readLine(QTcpSocket &client)
{
    if (!QTest::qWaitFor([&client] { return client.canReadLine(); }, kTimeout))
        return QByteArray("(no line)");
    return client.readLine().trimmed();
}

} // namespace

void tst_WorkerThread::workerHostsTcpServer()
{
    LineServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    // An object ends the actor with an error by a signal.
    connect(&server, &LineServer::failed, &server,
            [](const QString &reason) { RunGroup::exitWorker(RunError::failure(reason)); });
    std::atomic<bool> interruptedOnWorker{false};
    RunGroup group;
    QCOMPARE(group.addWorkerThread(
                 {&server},
                 [&server, &interruptedOnWorker] {
                     interruptedOnWorker = QThread::currentThread() == server.thread()
                                           && server.thread() != qApp->thread();
                     server.close();
                 },
                 QStringLiteral("net")),
             0);
    QCOMPARE(group.actorName(0), QStringLiteral("net"));
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();

    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(client.waitForConnected(kTimeout));
    client.write("ping\n");
    QCOMPARE(readLine(client), QByteArray("pong net")); // answered on the worker thread
    client.write("fail disk on fire\n");
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finishedError(finished), RunError::failure(QStringLiteral("disk on fire")));

    // The loop had ended before the interrupt: it ran here, with the server back home.
    QCOMPARE(server.thread(), QThread::currentThread());
    QVERIFY(!interruptedOnWorker);
    QVERIFY(!server.isListening());
}

void tst_WorkerThread::workerInterruptRunsOnWorkerThread()
{
    // The interrupt is the objects' chance to clean up on their thread, before quit().
    LineServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QThread *interruptThread = nullptr;
    bool listeningAfterCleanup = true;
    RunGroup group;
    group.addWorkerThread({&server}, [&](const RunError &) {
        interruptThread = QThread::currentThread();
        server.close();
        listeningAfterCleanup = server.isListening();
    });
    QCOMPARE(group.actorName(0), QStringLiteral("worker"));
    for (int run = 0; run < 2; ++run) {
        QSignalSpy finished(&group, &RunGroup::finished);
        group.start();
        QVERIFY(server.thread() != QThread::currentThread());
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(client.waitForConnected(kTimeout));
        client.write("ping\n");
        QCOMPARE(readLine(client), QByteArray("pong worker"));
        group.stop();
        QVERIFY(finished.wait(kTimeout));
        QCOMPARE(finishedError(finished), RunError::canceled());
        QCOMPARE(group.errors().value(0), RunError());
        QVERIFY(interruptThread && interruptThread != QThread::currentThread());
        QVERIFY(!listeningAfterCleanup);
        QCOMPARE(server.thread(), QThread::currentThread());
        QVERIFY(server.listen(QHostAddress::LocalHost, 0)); // usable here again
    }
}

void tst_WorkerThread::workerDeletesObjects()
{
    auto *object = new QObject;
    QPointer<QObject> guard(object);
    QThread *deletedOn = nullptr;
    connect(
        object, &QObject::destroyed, object, [&deletedOn] { deletedOn = QThread::currentThread(); },
        Qt::DirectConnection);
    RunGroup group;
    group.addWorkerThread({object}, {}, QStringLiteral("deleter"), RunGroup::WorkerObjects::Delete);
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    group.stop();
    QVERIFY(finished.wait(kTimeout));
    QVERIFY(!guard);
    QVERIFY(deletedOn && deletedOn != QThread::currentThread());
}

void tst_WorkerThread::workerBadInput()
{
    RunGroup group;
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addWorkerThread: An object is null");
    QCOMPARE(group.addWorkerThread({nullptr}), -1);

    QObject parent;
    auto *child = new QObject(&parent);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addWorkerThread: The QObject has a parent; only objects "
                         "without one can move to another thread");
    QCOMPARE(group.addWorkerThread({child}), -1);

    QThread other;
    QTimer elsewhere;
    elsewhere.moveToThread(&other);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addWorkerThread: The QTimer does not live on the group's "
                         "thread");
    QCOMPARE(group.addWorkerThread({&elsewhere}), -1);

    QThread thread;
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addWorkerThread: The QThread cannot be hosted on a worker "
                         "thread");
    QCOMPARE(group.addWorkerThread({&thread}), -1);
    QCOMPARE(group.count(), 0);
}

void tst_WorkerThread::workerThreadCannotStart_data()
{
    QTest::addColumn<RunGroup::WorkerObjects>("after");
    QTest::addRow("MoveBack") << RunGroup::WorkerObjects::MoveBack;
    QTest::addRow("Delete") << RunGroup::WorkerObjects::Delete;
}

void tst_WorkerThread::workerThreadCannotStart()
{
    // The worker's thread cannot be created (as under ulimit -u, where QThread::start()
    // only prints a warning and never emits finished()): the worker exits with the thread
    // error and the run finishes; its objects never left this thread, where its interrupt
    // runs. It used to run forever, not even ended by a deadline.
    QFETCH(RunGroup::WorkerObjects, after);
    RunGroupTesting::failThreadCreations(1, EAGAIN);
    const auto restore = qScopeGuard([] { RunGroupTesting::failThreadCreations(0, 0); });
    auto *object = new QObject;
    QPointer<QObject> guard(object);
    const auto cleanup = qScopeGuard([guard] { delete guard.data(); });
    RunGroup group;
    int interrupts = 0;
    bool objectHereAtInterrupt = false;
    QCOMPARE(group.addWorkerThread(
                 {object},
                 [&] {
                     ++interrupts;
                     objectHereAtInterrupt = guard && guard->thread() == QThread::currentThread();
                 },
                 QStringLiteral("network"), after),
             0);
    QCOMPARE(group.addTimeout(1h), 1);
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    QVERIFY(finished.wait(10000));
    const RunError expected =
        RunError::failure(QStringLiteral("RunGroup: Cannot start a thread for worker network: ")
                          + QString::fromLocal8Bit(std::strerror(EAGAIN)));
    QCOMPARE(finishedError(finished), expected);
    QCOMPARE(group.errors().value(0), expected);
    QCOMPARE(group.errors().value(1), RunError());
    QCOMPARE(interrupts, 1);
    QVERIFY(objectHereAtInterrupt);
    if (after == RunGroup::WorkerObjects::Delete) {
        QVERIFY(!guard);
        return;
    }
    QVERIFY(guard);
    QCOMPARE(guard->thread(), QThread::currentThread());

    // With a thread to be had, the next run hosts the object on it as usual.
    QSignalSpy finishedAgain(&group, &RunGroup::finished);
    group.start();
    QTRY_VERIFY_WITH_TIMEOUT(guard->thread() != QThread::currentThread(), kTimeout);
    group.stop();
    QVERIFY(finishedAgain.wait(kTimeout));
    QCOMPARE(finishedError(finishedAgain), RunError::canceled());
    QCOMPARE(guard->thread(), QThread::currentThread());
    QCOMPARE(interrupts, 2);
}

void tst_WorkerThread::exitWorkerElsewhere()
{
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::exitWorker: Must be called on a worker thread "
                                       "of addWorkerThread()");
    RunGroup::exitWorker(RunError::failure(QStringLiteral("nowhere")));
}

QTEST_GUILESS_MAIN(tst_WorkerThread)
#include "tst_workerthread.moc"
