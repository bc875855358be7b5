// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Bad input against examples/headless --health-port, in a process of its own: malformed
// requests and oversized heads get their status codes, a slow client (a byte a second) gets
// 408, 1,000 connections at once are served or turned away with 503, and meanwhile the
// group's thread keeps answering /livez and the service's memory stays bounded.

#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <memory>
#include <vector>

#include <sys/resource.h>

#include "headlessprocess.h"

namespace {
// A client on a non-blocking socket, collecting what it receives until the server closes.
struct Client
{
    std::unique_ptr<QTcpSocket> socket = std::make_unique<QTcpSocket>();
    QByteArray received;
    bool closed = false;

    Client()
    {
        QObject::connect(socket.get(), &QTcpSocket::readyRead, socket.get(),
                         [this] { received += socket->readAll(); });
        QObject::connect(socket.get(), &QTcpSocket::disconnected, socket.get(),
                         [this] { closed = true; });
        QObject::connect(socket.get(), &QTcpSocket::errorOccurred, socket.get(),
                         [this] { closed = true; });
    }
    bool hasStatus() const { return received.contains("\r\n\r\n"); }
};

// Raises this process's open-file limit (children inherit it) to at least want, if allowed.
bool raiseFileLimit(rlim_t want)
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return false;
    if (limit.rlim_cur >= want)
        return true;
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < want)
        return false;
    limit.rlim_cur = want;
    return setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

// Resident memory may grow this much under attack; buffering what the clients send (a
// gigabyte in oversizedHeadsInBulk) would exceed it many times over. A sanitizer's shadow
// memory and ASan's quarantine of freed blocks (capped below) make room for four times as
// much, still a quarter of that gigabyte.
#ifdef RUNGROUP_TEST_SANITIZED
constexpr long kMemoryBoundKiB = 256 * 1024;
#else
constexpr long kMemoryBoundKiB = 64 * 1024;
#endif
} // namespace

class tst_HealthAbuse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void badRequest_data();
    void badRequest();
    void pipelined();
    void slowClients();
    void thousandConnections();
    void oversizedHeadsInBulk();

private:
    // /livez answers 200 (the group's thread serves it).
    bool alive();

    QNetworkAccessManager m_manager;
    std::unique_ptr<HeadlessService> m_service;
};

void tst_HealthAbuse::initTestCase()
{
    // 1,000 clients here, up to 128 served connections in the service: both under a limit.
    QVERIFY2(raiseFileLimit(4096), "cannot raise RLIMIT_NOFILE to 4096");
    useNoProxy(m_manager);
    // ASan keeps freed blocks (256 MiB by default) before reusing them: that is not what
    // the memory checks below are about.
    const QByteArray asan = qgetenv("ASAN_OPTIONS");
    qputenv("ASAN_OPTIONS", asan + (asan.isEmpty() ? "" : ":") + "quarantine_size_mb=16");
    m_service = std::make_unique<HeadlessService>(
        QStringList{QStringLiteral("--health-port"), QStringLiteral("0")});
    qputenv("ASAN_OPTIONS", asan);
    QVERIFY2(m_service->waitForHealthPort(), m_service->output().constData());
}

void tst_HealthAbuse::cleanupTestCase()
{
    if (!m_service)
        return;
    // After all of it the service still stops cleanly on SIGTERM.
    m_service->process().terminate();
    QVERIFY2(m_service->waitForExit(), m_service->output().constData());
    QCOMPARE(m_service->process().exitCode(), 0);
    QVERIFY2(m_service->hasLine(QStringLiteral("finished: Signal: Received signal SIGTERM")),
             m_service->output().constData());
}

void tst_HealthAbuse::init()
{
    QVERIFY(m_service);
    QVERIFY2(m_service->process().state() == QProcess::Running, m_service->output().constData());
    QVERIFY(alive());
}

// /livez answers 200, now or once connections just closed by the test have been counted
// out (until then a new one may be turned away with 503).
bool tst_HealthAbuse::alive()
{
    return QTest::qWaitFor(
        [this] {
            return httpRequest(m_manager, m_service->url(QStringLiteral("/livez"))).status == 200;
        },
        kHealthTimeout);
}

void tst_HealthAbuse::badRequest_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    const QByteArray host = "Host: 127.0.0.1\r\n";
    QTest::addRow("fine") << "GET /livez HTTP/1.1\r\n" + host + "\r\n" << 200;
    QTest::addRow("HTTP/1.0 without Host") << QByteArray("GET /livez HTTP/1.0\r\n\r\n") << 200;
    QTest::addRow("unknown path") << "GET /admin HTTP/1.1\r\n" + host + "\r\n" << 404;
    QTest::addRow("POST with a body")
        << "POST /readyz HTTP/1.1\r\n" + host + "Content-Length: 5\r\n\r\nhello" << 405;
    QTest::addRow("garbage") << QByteArray("GARBAGE\r\n\r\n") << 400;
    QTest::addRow("binary junk") << [] {
        QByteArray junk(512, 0);
        QRandomGenerator generator(20);
        for (char &c : junk)
            c = char(generator.bounded(256));
        return junk.replace("\n", "x") + "\r\n\r\n";
    }() << 400;
    QTest::addRow("HTTP/1.1 without Host") << QByteArray("GET /livez HTTP/1.1\r\n\r\n") << 400;
    QTest::addRow("no version") << QByteArray("GET /livez\r\n\r\n") << 400;
    QTest::addRow("HTTP/2.0") << "GET /livez HTTP/2.0\r\n" + host + "\r\n" << 505;
    QTest::addRow("target not a path") << "GET livez HTTP/1.1\r\n" + host + "\r\n" << 400;
    QTest::addRow("two spaces") << "GET  /livez HTTP/1.1\r\n" + host + "\r\n" << 400;
    QTest::addRow("header without colon")
        << "GET /livez HTTP/1.1\r\n" + host + "Broken header\r\n\r\n"
        << 400;
    QTest::addRow("obs-fold") << "GET /livez HTTP/1.1\r\n" + host + "X-A: 1\r\n folded\r\n\r\n"
                              << 400;
    QTest::addRow("control byte in a value")
        << "GET /livez HTTP/1.1\r\n" + host + "X-A: a\x01z\r\n\r\n"
        << 400;
    QTest::addRow("target of 3000 bytes")
        << "GET /livez?" + QByteArray(3000, 'a') + " HTTP/1.1\r\n" + host + "\r\n"
        << 414;
    QTest::addRow("a header of 20 KiB")
        << "GET /livez HTTP/1.1\r\n" + host + "X-Big: " + QByteArray(20 * 1024, 'a') + "\r\n\r\n"
        << 431;
    QByteArray many = "GET /livez HTTP/1.1\r\n" + host;
    for (int i = 0; i < 100; ++i)
        many += "X-" + QByteArray::number(i) + ": 1\r\n";
    QTest::addRow("100 headers") << many + "\r\n" << 431;
    QTest::addRow("Content-Length of a gigabyte")
        << "POST /livez HTTP/1.1\r\n" + host + "Content-Length: 1000000000\r\n\r\n"
        << 413;
    QTest::addRow("Content-Length not a number")
        << "POST /livez HTTP/1.1\r\n" + host + "Content-Length: 12abc\r\n\r\n"
        << 400;
    QTest::addRow("two Content-Lengths")
        << "POST /livez HTTP/1.1\r\n" + host + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab"
        << 400;
    QTest::addRow("chunked") << "POST /livez HTTP/1.1\r\n" + host
                                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                             << 501;
}

void tst_HealthAbuse::badRequest()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    // Connection: close is not sent: the server closes after an error by itself; a good
    // request's keep-alive connection ends with the idle timeout, so ask for one answer.
    QByteArray answer;
    if (status < 400 || status == 404 || status == 405) {
        request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
        answer = rawExchange(m_service->healthPort(), request);
    } else {
        answer = rawExchange(m_service->healthPort(), request);
        QVERIFY2(answer.contains("\r\nConnection: close\r\n"), answer);
    }
    QVERIFY2(rawStatus(answer) == status, answer.left(300));
    QVERIFY(alive());
}

// Two requests in one write get two answers, in order.
void tst_HealthAbuse::pipelined()
{
    const QByteArray answer = rawExchange(
        m_service->healthPort(), "GET /livez HTTP/1.1\r\nHost: a\r\n\r\n"
                                 "GET /nothing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    QVERIFY2(answer.startsWith("HTTP/1.1 200 "), answer);
    QVERIFY2(answer.contains("\r\n\r\nok\nHTTP/1.1 404 "), answer);
}

// Clients sending a byte a second: each gets 408 once the request timeout (10 s) has
// passed, and /livez answers all along.
void tst_HealthAbuse::slowClients()
{
    constexpr int kSlowClients = 20;
    const QByteArray request =
        "GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + QByteArray(100, 'a');
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < kSlowClients; ++i) {
        clients.push_back(std::make_unique<Client>());
        clients.back()->socket->connectToHost(QHostAddress::LocalHost, m_service->healthPort());
    }
    int sent = 0;
    QTimer drip;
    drip.setInterval(1000);
    connect(&drip, &QTimer::timeout, this, [&] {
        if (sent >= request.size())
            return;
        for (auto &client : clients) {
            if (!client->closed)
                client->socket->write(request.mid(sent, 1));
        }
        ++sent;
    });
    drip.start();
    int livezAnswers = 0;
    const auto allAnswered = [&] {
        if (alive())
            ++livezAnswers;
        for (const auto &client : clients) {
            if (!client->hasStatus())
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allAnswered(), kHealthTimeout);
    for (const auto &client : clients)
        QVERIFY2(rawStatus(client->received) == 408, client->received);
    QVERIFY2(sent < request.size(), "the request ended before the timeout: nothing was tested");
    QVERIFY(livezAnswers > 0);
    QVERIFY(alive());
}

// 1,000 connections at once, each asking /livez: the first 128 (maxConnections()) are
// served, the others answered 503 with Retry-After and closed; none is left hanging, and
// once they are gone 128 fresh ones are served again.
void tst_HealthAbuse::thousandConnections()
{
    const long memoryBefore = m_service->residentKiB();
    QVERIFY(memoryBefore > 0);
    const auto wave = [this](int count, int *ok, int *unavailable) -> QByteArray {
        std::vector<std::unique_ptr<Client>> clients;
        for (int i = 0; i < count; ++i) {
            auto client = std::make_unique<Client>();
            QTcpSocket *socket = client->socket.get();
            connect(socket, &QTcpSocket::connected, socket,
                    [socket] { socket->write("GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); });
            socket->connectToHost(QHostAddress::LocalHost, m_service->healthPort());
            clients.push_back(std::move(client));
        }
        const auto allAnswered = [&] {
            for (const auto &client : clients) {
                if (!client->hasStatus() && !client->closed)
                    return false;
            }
            return true;
        };
        if (!QTest::qWaitFor(allAnswered, kHealthTimeout))
            return "not every connection was answered";
        *ok = 0;
        *unavailable = 0;
        for (const auto &client : clients) {
            const int status = rawStatus(client->received);
            if (status == 200)
                ++*ok;
            else if (status == 503 && client->received.contains("\r\nRetry-After: 1\r\n"))
                ++*unavailable;
            else
                return "unexpected answer: " + client->received.left(200) + ' '
                       + client->socket->errorString().toUtf8();
        }
        // Hang up; the service's count goes down as its sockets see it.
        for (auto &client : clients)
            client->socket->abort();
        return {};
    };
    int ok = 0;
    int unavailable = 0;
    QByteArray problem = wave(1000, &ok, &unavailable);
    QVERIFY2(problem.isEmpty(), problem);
    QCOMPARE(ok + unavailable, 1000);
    QVERIFY2(ok >= 1 && ok <= 128, qPrintable(QString::number(ok)));
    QVERIFY(alive());
    // The served connections were counted out again: a full second wave is served.
    const auto fullWave = [&] {
        m_manager.clearConnectionCache(); // alive()'s keep-alive connection counts too
        problem = wave(128, &ok, &unavailable);
        return problem.isEmpty() && ok == 128;
    };
    // Not QTRY_VERIFY: it evaluates once more at the end, and each wave is a new one.
    QVERIFY2(QTest::qWaitFor(fullWave, kHealthTimeout),
             qPrintable(QStringLiteral("%1 served, %2 turned away; %3")
                            .arg(ok)
                            .arg(unavailable)
                            .arg(QString::fromUtf8(problem))));
    const long memoryAfter = m_service->residentKiB();
    QVERIFY2(memoryAfter - memoryBefore < kMemoryBoundKiB,
             qPrintable(QStringLiteral("%1 KiB -> %2 KiB").arg(memoryBefore).arg(memoryAfter)));
}

// 100 clients each sending 10 MiB of header without an end: each is cut off at 8 KiB with
// 431, and the service does not buffer the gigabyte.
void tst_HealthAbuse::oversizedHeadsInBulk()
{
    const long memoryBefore = m_service->residentKiB();
    QVERIFY(memoryBefore > 0);
    constexpr int kClients = 100;
    const QByteArray head = "GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ";
    const QByteArray block(64 * 1024, 'a');
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < kClients; ++i) {
        auto client = std::make_unique<Client>();
        QTcpSocket *socket = client->socket.get();
        auto written = std::make_shared<qint64>(0);
        // Writes 64 KiB at a time as the previous block leaves, up to 10 MiB.
        const auto more = [socket, written, block] {
            if (socket->bytesToWrite() > 0 || *written >= 10 * 1024 * 1024
                || socket->state() != QAbstractSocket::ConnectedState)
                return;
            *written += socket->write(block);
        };
        connect(socket, &QTcpSocket::connected, socket, [socket, head, more] {
            socket->write(head);
            more();
        });
        connect(socket, &QTcpSocket::bytesWritten, socket, more);
        socket->connectToHost(QHostAddress::LocalHost, m_service->healthPort());
        clients.push_back(std::move(client));
    }
    const auto allAnswered = [&] {
        for (const auto &client : clients) {
            if (!client->hasStatus() && !client->closed)
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allAnswered(), kHealthTimeout);
    int tooLarge = 0;
    for (const auto &client : clients) {
        if (rawStatus(client->received) == 431)
            ++tooLarge;
    }
    // Every client that read its answer before the service hung up saw 431; none saw
    // anything else.
    for (const auto &client : clients) {
        QVERIFY2(client->received.isEmpty() || rawStatus(client->received) == 431,
                 client->received.left(200));
    }
    QVERIFY2(tooLarge >= kClients / 2, qPrintable(QString::number(tooLarge)));
    const long memoryAfter = m_service->residentKiB();
    QVERIFY2(memoryAfter - memoryBefore < kMemoryBoundKiB,
             qPrintable(QStringLiteral("%1 KiB -> %2 KiB").arg(memoryBefore).arg(memoryAfter)));
    QVERIFY(alive());
}

QTEST_GUILESS_MAIN(tst_HealthAbuse)
#include "tst_healthabuse.moc"
