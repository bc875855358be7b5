// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// rungroup-headless: the skeleton of a small service run as one RunGroup.
//
// Four actors start together and stop together:
//   signals  SIGINT or SIGTERM ends the run (a normal end for a service: exit code 0);
//            another one during the shutdown exits at once with 128 + the signal number
//   server   a line-based TCP server on 127.0.0.1 ("ping" -> "pong", "status" -> "ticks N")
//   worker   periodic work on a thread of its own, a tick every 200 ms
//   timer    with --duration <ms>, ends the run normally after that time
// Whichever exits first interrupts all of them; the process exits once every one has.
// --fail-after <ms> makes the worker fail, to show the failure path (exit code 1).
//
// Every line on stdout has a stable form, for people and for tests/auto/headless:
//   listening on 127.0.0.1:<port>
//   [<actor>] started | [<actor>] interrupted: <error> | [<actor>] exited: <error>
//   [worker] tick <n>
//   finished: <error>
// where <error> is RunError::toString(), e.g. "no error" or "Signal: Received signal SIGTERM".

#include <RunGroup/RunGroup>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>

using namespace std::chrono_literals;

namespace {

// Writes one line to stdout and flushes it, so a supervisor reading a pipe sees it at
// once. Safe from any thread: one fwrite never interleaves with another.
void logLine(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

int fail(const QString &message)
{
    std::fprintf(stderr, "error: %s\n", qPrintable(message));
    return 1;
}

// Periodic work on a thread of its own. run() is the actor's execute (on the worker's
// thread), interrupt() its interrupt (on the main thread). As in oklog/run, the interrupt
// may come before run() starts or after it returns: the flag covers both.
class Worker
{
public:
    explicit Worker(std::chrono::milliseconds failAfter) : m_failAfter(failAfter) { }

    RunError run()
    {
        const QDeadlineTimer failure = m_failAfter > 0ms ? QDeadlineTimer(m_failAfter)
                                                         : QDeadlineTimer(QDeadlineTimer::Forever);
        std::unique_lock lock(m_mutex);
        // wait_for returns true as soon as the interrupt sets m_stopping: no tick is lost
        // to a sleep, and shutdown does not wait for the next one.
        while (!m_wake.wait_for(lock, 200ms, [this] { return m_stopping; })) {
            logLine(QStringLiteral("[worker] tick %1").arg(++m_ticks));
            if (failure.hasExpired())
                return RunError::failure(QStringLiteral("worker: simulated failure"));
        }
        return RunError();
    }

    void interrupt(const RunError &error)
    {
        logLine(QStringLiteral("[worker] interrupted: ") + error.toString());
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
    }

    // Thread-safe: the server reads it on the main thread.
    quint64 ticks() const { return m_ticks; }

private:
    const std::chrono::milliseconds m_failAfter;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false; // guarded by m_mutex
    std::atomic<quint64> m_ticks{0};
};

// A line-based TCP server, added with addObject: it has no thread of its own and runs
// until it emits stopped(), which its interrupt shutdown() makes it do.
class LineServer : public QTcpServer
{
    Q_OBJECT

public:
    explicit LineServer(const Worker &worker) : m_worker(worker)
    {
        connect(this, &QTcpServer::newConnection, this, &LineServer::acceptClients);
        // Failing to accept (out of file descriptors, say) ends the service with an error.
        connect(this, &QTcpServer::acceptError, this, [this] {
            Q_EMIT stopped(RunError::failure(QStringLiteral("server: ") + errorString()));
        });
    }

    // The actor's interrupt, on the server's thread: stop listening, hang up, exit.
    void shutdown(const RunError &reason)
    {
        logLine(QStringLiteral("[server] interrupted: ") + reason.toString());
        close();
        const QList<QTcpSocket *> clients = findChildren<QTcpSocket *>();
        for (QTcpSocket *client : clients)
            client->disconnectFromHost();
        Q_EMIT stopped(RunError());
    }

Q_SIGNALS:
    // The actor's exit signal: its argument is the actor's exit error.
    void stopped(const RunError &error);

private:
    void acceptClients()
    {
        while (QTcpSocket *client = nextPendingConnection()) {
            connect(client, &QTcpSocket::readyRead, this, [this, client] { answer(client); });
            connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        }
    }

    void answer(QTcpSocket *client)
    {
        while (client->canReadLine()) {
            const QByteArray command = client->readLine().trimmed();
            if (command == "ping")
                client->write("pong\n");
            else if (command == "status")
                client->write("ticks " + QByteArray::number(m_worker.ticks()) + '\n');
            else
                client->write("unknown command\n");
        }
        // A client that never ends its line does not get to fill our memory.
        if (client->bytesAvailable() > 1024)
            client->abort();
    }

    const Worker &m_worker;
};

struct Options
{
    quint16 port = 0;
    std::chrono::milliseconds duration{0};
    std::chrono::milliseconds failAfter{0};
};

// Parses the command line. --help and unknown options exit here (QCommandLineParser);
// a bad value prints an error and returns nothing.
std::optional<Options> parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A service skeleton run as one RunGroup: signal handler, TCP server, "
                       "worker thread and optional deadline. Stop it with SIGINT or SIGTERM."));
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Port to listen on at 127.0.0.1 (0: any)."),
                                  QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("End the run normally after <ms> ms."),
                                      QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption failAfter(QStringLiteral("fail-after"),
                                       QStringLiteral("Make the worker fail after <ms> ms."),
                                       QStringLiteral("ms"), QStringLiteral("0"));
    parser.addOptions({port, duration, failAfter});
    parser.process(app);

    bool portOk = false;
    bool durationOk = false;
    bool failAfterOk = false;
    const uint portValue = parser.value(port).toUInt(&portOk);
    Options options;
    options.port = quint16(portValue);
    options.duration = std::chrono::milliseconds(parser.value(duration).toUInt(&durationOk));
    options.failAfter = std::chrono::milliseconds(parser.value(failAfter).toUInt(&failAfterOk));
    if (!portOk || portValue > 65535 || !durationOk || !failAfterOk) {
        fail(QStringLiteral("--port takes 0 to 65535; --duration and --fail-after take "
                            "milliseconds (see --help)"));
        return std::nullopt;
    }
    return options;
}

// Logs every actor's start and exit. The interrupts log themselves, except the signal
// handler's, which is the library's own.
void logActors(RunGroup &group)
{
    QObject::connect(&group, &RunGroup::started, &group, [&group] {
        for (int i = 0; i < group.count(); ++i)
            logLine(QStringLiteral("[%1] started").arg(group.actorName(i)));
    });
    QObject::connect(
        &group, &RunGroup::actorExited, &group, [&group](int index, const RunError &error) {
            logLine(
                QStringLiteral("[%1] exited: %2").arg(group.actorName(index), error.toString()));
        });
}

// Adds the --duration actor: a single-shot timer started with the run, whose timeout ends
// the run with no error. An object actor runs until its exit signal, so if another actor
// ended the run first, the interrupt fires the pending timer at once.
void addDeadline(RunGroup &group, QTimer &timer, std::chrono::milliseconds duration)
{
    timer.setSingleShot(true);
    timer.setInterval(duration);
    QObject::connect(&group, &RunGroup::started, &timer, qOverload<>(&QTimer::start));
    group.addObject(
        &timer, &QTimer::timeout,
        [&timer](const RunError &error) {
            logLine(QStringLiteral("[timer] interrupted: ") + error.toString());
            if (timer.isActive())
                timer.start(0);
        },
        QStringLiteral("timer"));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const std::optional<Options> options = parseOptions(app);
    if (!options)
        return 2;

    // oklog/run's listener recipe: bind before the group runs, so a busy port is a clear
    // error at once rather than half a service.
    Worker worker(options->failAfter);
    LineServer server(worker);
    if (!server.listen(QHostAddress::LocalHost, options->port))
        return fail(QStringLiteral("server: cannot listen on 127.0.0.1:%1: %2")
                        .arg(options->port)
                        .arg(server.errorString()));
    logLine(QStringLiteral("listening on 127.0.0.1:%1").arg(server.serverPort()));
    QTimer deadline;

    // Declared after the resources its actors use, so it is destroyed before them.
    RunGroup group;
    logActors(group);
    // Actors are interrupted in add order: stop taking requests before stopping the work.
    group.addSignalHandler(); // SIGINT, SIGTERM: exits with RunError::Kind::Signal
    // A second Ctrl+C while the shutdown is slow (or stuck) ends the process at once.
    group.setSecondSignalExits(true);
    group.addObject(&server, &LineServer::stopped, &LineServer::shutdown, QStringLiteral("server"));
    group.add([&worker] { return worker.run(); },
              [&worker](const RunError &error) { worker.interrupt(error); }, nullptr,
              QStringLiteral("worker"));
    if (options->duration > 0ms)
        addDeadline(group, deadline, options->duration);

    const RunError error = group.run();
    logLine(QStringLiteral("finished: ") + error.toString());
    // Being asked to stop by a signal is how a service normally ends.
    if (!error || error.kind() == RunError::Kind::Signal)
        return 0;
    return fail(error.message());
}

#include "main.moc"
