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
// --stuck makes the worker ignore its interrupt: after --shutdown-timeout <ms> (default
// 10000) the group gives up on it and the process exits with 124.
// --health-port <port> serves /livez, /readyz and /metrics (HealthEndpoint) on
// 127.0.0.1, or on --health-address (0.0.0.0 in a container, where probes and Prometheus
// come from outside); see kubernetes.yaml and prometheus.yml beside this file.
// --drain-delay <ms> holds the interrupts back that long after SIGTERM (once the service
// was ready), while /readyz already answers 503: a load balancer stops sending traffic
// before the server closes.
//
// The group is bound to the application (RunGroup::bindToApplication): it quits the
// application when it finishes, with RunGroup::exitCode() (0 for a signal or --duration,
// 1 for a failure, 124 for a shutdown timeout), and quitting the application stops it.
// Under systemd (Type=notify, see rungroup-headless.service), a ServiceNotifier sends
// READY=1 once the worker has ticked once, STOPPING=1 at the first exit, and watchdog
// pings from the main thread.
//
// Every line on stdout has a stable form, for people and for tests/auto/headless:
//   listening on 127.0.0.1:<port>
//   health on <address>:<port>
//   [<actor>] started | [<actor>] interrupted: <error> | [<actor>] exited: <error>
//   [worker] tick <n> | [worker] stuck: ignoring the interrupt
//   finished: <error>
// where <error> is RunError::toString(), e.g. "no error" or "Signal: Received signal SIGTERM".

#include <RunGroup/RunGroup>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <RunGroup/ServiceNotifier>
#ifdef RUNGROUP_EXAMPLE_HAVE_HTTP
#include <RunGroup/HealthEndpoint>
#endif

#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

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
    Worker(std::chrono::milliseconds failAfter, bool stuck) : m_failAfter(failAfter), m_stuck(stuck)
    { }

    // Called on the worker's thread after its first tick: the worker is warmed up.
    void setOnReady(std::function<void()> onReady) { m_onReady = std::move(onReady); }

    RunError run()
    {
        const QDeadlineTimer failure = m_failAfter > 0ms ? QDeadlineTimer(m_failAfter)
                                                         : QDeadlineTimer(QDeadlineTimer::Forever);
        std::unique_lock lock(m_mutex);
        // wait_for returns true as soon as the interrupt sets m_stopping: no tick is lost
        // to a sleep, and shutdown does not wait for the next one.
        while (!m_wake.wait_for(lock, 200ms, [this] { return m_stopping; })) {
            logLine(QStringLiteral("[worker] tick %1").arg(++m_ticks));
            if (m_ticks == 1 && m_onReady)
                m_onReady();
            if (failure.hasExpired())
                return RunError::failure(QStringLiteral("worker: simulated failure"));
        }
        if (m_stuck) {
            // --stuck: a worker that never returns. It touches nothing main() owns, so the
            // process can exit around it once the group has given up on it.
            logLine(QStringLiteral("[worker] stuck: ignoring the interrupt"));
            lock.unlock();
            for (;;)
                std::this_thread::sleep_for(1h);
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
    const bool m_stuck;
    std::function<void()> m_onReady;
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
    std::chrono::milliseconds shutdownTimeout{10000};
    bool stuck = false;
    std::chrono::milliseconds drainDelay{0};
    int healthPort = -1; // -1: no health endpoint
    QHostAddress healthAddress{QHostAddress::LocalHost};
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
    const QCommandLineOption shutdownTimeout(
        QStringLiteral("shutdown-timeout"),
        QStringLiteral("Give up on actors still running <ms> ms after the first exit "
                       "(0: wait forever; exit code 124)."),
        QStringLiteral("ms"), QStringLiteral("10000"));
    const QCommandLineOption stuck(QStringLiteral("stuck"),
                                   QStringLiteral("Make the worker ignore its interrupt."));
    const QCommandLineOption healthPort(
        QStringLiteral("health-port"),
        QStringLiteral("Serve /livez, /readyz and /metrics on <port> (0: any)."),
        QStringLiteral("port"));
    const QCommandLineOption healthAddress(
        QStringLiteral("health-address"),
        QStringLiteral("Address the health endpoint listens on (default 127.0.0.1; 0.0.0.0 "
                       "in a container)."),
        QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption drainDelay(
        QStringLiteral("drain-delay"),
        QStringLiteral("After SIGTERM, wait <ms> ms (not ready, still serving) before "
                       "interrupting the actors."),
        QStringLiteral("ms"), QStringLiteral("0"));
    parser.addOptions(
        {port, duration, failAfter, shutdownTimeout, stuck, healthPort, healthAddress, drainDelay});
    parser.process(app);

    bool portOk = false;
    bool durationOk = false;
    bool failAfterOk = false;
    bool shutdownTimeoutOk = false;
    const uint portValue = parser.value(port).toUInt(&portOk);
    const uint shutdownTimeoutValue = parser.value(shutdownTimeout).toUInt(&shutdownTimeoutOk);
    Options options;
    options.port = quint16(portValue);
    options.duration = std::chrono::milliseconds(parser.value(duration).toUInt(&durationOk));
    options.failAfter = std::chrono::milliseconds(parser.value(failAfter).toUInt(&failAfterOk));
    options.shutdownTimeout = std::chrono::milliseconds(shutdownTimeoutValue);
    options.stuck = parser.isSet(stuck);
    bool drainOk = false;
    const uint drainValue = parser.value(drainDelay).toUInt(&drainOk);
    if (!drainOk || drainValue > uint(INT_MAX)) {
        fail(QStringLiteral("--drain-delay takes milliseconds (see --help)"));
        return std::nullopt;
    }
    options.drainDelay = std::chrono::milliseconds(drainValue);
    bool healthOk = true;
    if (parser.isSet(healthPort)) {
        const uint value = parser.value(healthPort).toUInt(&healthOk);
        healthOk = healthOk && value <= 65535;
        options.healthPort = int(value);
    }
    if (!options.healthAddress.setAddress(parser.value(healthAddress))) {
        fail(QStringLiteral("--health-address takes an IP address, such as 127.0.0.1"));
        return std::nullopt;
    }
    if (!healthOk) {
        fail(QStringLiteral("--health-port takes 0 to 65535"));
        return std::nullopt;
    }
    if (!portOk || portValue > 65535 || !durationOk || !failAfterOk || !shutdownTimeoutOk
        || shutdownTimeoutValue > uint(INT_MAX)) {
        fail(QStringLiteral("--port takes 0 to 65535; --duration, --fail-after and "
                            "--shutdown-timeout take milliseconds (see --help)"));
        return std::nullopt;
    }
    return options;
}

// Logs every actor's start and exit, and the end of the run. The interrupts log
// themselves, except the signal handler's, which is the library's own.
void logActors(RunGroup &group)
{
    // An actor starts within start(), or once its dependencies are ready (the server).
    QObject::connect(&group, &RunGroup::actorStarted, &group, [&group](int index) {
        logLine(QStringLiteral("[%1] started").arg(group.actorName(index)));
    });
    QObject::connect(
        &group, &RunGroup::actorExited, &group, [&group](int index, const RunError &error) {
            logLine(
                QStringLiteral("[%1] exited: %2").arg(group.actorName(index), error.toString()));
        });
    QObject::connect(&group, &RunGroup::finished, &group, [&group](const RunError &error) {
        logLine(QStringLiteral("finished: ") + error.toString());
        // The application exits with group.exitCode() (bindToApplication). Say why when
        // that is not success: the first error, or the shutdown timeout that overrides it.
        if (group.exitCode() == 0)
            return;
        QString why = error.message();
        const QList<RunError> errors = group.errors();
        for (const RunError &e : errors) {
            if (e.kind() == RunError::Kind::Timeout && error.kind() != RunError::Kind::Timeout) {
                why = e.message();
                break;
            }
        }
        fail(why);
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

// The service: its resources, then the group that runs them (declared last, so it is
// destroyed first, before anything its actors use).
class Service
{
public:
    // Parses the command line, binds the port, builds the group, binds it to app and
    // starts it. Returns 0 when QCoreApplication::exec() should run it, or the exit code
    // to end with at once (2: bad options, 1: busy port).
    int setUp(QCoreApplication &app)
    {
        const std::optional<Options> options = parseOptions(app);
        if (!options)
            return 2;

        // oklog/run's listener recipe: bind before the group runs, so a busy port is a
        // clear error at once rather than half a service.
        m_worker = std::make_unique<Worker>(options->failAfter, options->stuck);
        m_server = std::make_unique<LineServer>(*m_worker);
        if (!m_server->listen(QHostAddress::LocalHost, options->port))
            return fail(QStringLiteral("server: cannot listen on 127.0.0.1:%1: %2")
                            .arg(options->port)
                            .arg(m_server->errorString()));
        logLine(QStringLiteral("listening on 127.0.0.1:%1").arg(m_server->serverPort()));

        // Bound, but it serves only once its actor starts: after the worker is ready.
        m_server->pauseAccepting();

        logActors(m_group);
        m_group.addSignalHandler(); // SIGINT, SIGTERM: exits with RunError::Kind::Signal
        // A second Ctrl+C while the shutdown is slow (or stuck) ends the process at once.
        m_group.setSecondSignalExits(true);
        const int serverIndex = m_group.addObject(m_server.get(), &LineServer::stopped,
                                                  &LineServer::shutdown, QStringLiteral("server"));
        Worker *worker = m_worker.get();
        const int workerIndex =
            m_group.add([worker] { return worker->run(); },
                        [worker](const RunError &error) { worker->interrupt(error); }, nullptr,
                        QStringLiteral("worker"));
        // Ordered start and stop (docs/ordering.md): the server starts once the worker is
        // ready (after its first tick), and on shutdown the worker is interrupted only once
        // the server has stopped taking requests.
        m_group.requireReady(workerIndex);
        m_group.setDependencies(serverIndex, {workerIndex});
        QObject::connect(&m_group, &RunGroup::actorStarted, m_server.get(),
                         [server = m_server.get(), serverIndex](int index) {
                             if (index == serverIndex)
                                 server->resumeAccepting();
                         });
        QObject::connect(&m_group, &RunGroup::actorReady, &m_group, [workerIndex](int index) {
            if (index == workerIndex)
                logLine(QStringLiteral("[worker] ready"));
        });
        if (options->duration > 0ms)
            addDeadline(m_group, m_deadline, options->duration);
        m_group.setShutdownTimeout(options->shutdownTimeout);
        m_group.setDrainDelay(options->drainDelay);

        // Under systemd: READY=1 once the worker has ticked, STOPPING=1, STATUS=, watchdog
        // pings. Without NOTIFY_SOCKET the notifier does nothing. markReady() is
        // thread-safe: the worker calls both on its own thread.
        auto *notifier = new ServiceNotifier(&m_group);
        notifier->requireReady(workerIndex);
        worker->setOnReady([group = &m_group, notifier, workerIndex] {
            group->markReady(workerIndex);
            notifier->markReady(workerIndex);
        });

        // Health over HTTP: listen before start(), so a busy port ends the program before
        // any actor runs. The endpoint is the group's child: it goes with it.
        if (options->healthPort >= 0) {
#ifdef RUNGROUP_EXAMPLE_HAVE_HTTP
            auto *health = new HealthEndpoint(&m_group, &m_group);
            if (!health->listen(options->healthAddress, quint16(options->healthPort)))
                return fail(QStringLiteral("health: cannot listen on %1:%2")
                                .arg(options->healthAddress.toString())
                                .arg(options->healthPort));
            logLine(QStringLiteral("health on %1:%2")
                        .arg(options->healthAddress.toString())
                        .arg(health->serverPort()));
#else
            return fail(QStringLiteral("--health-port: built without RunGroup::Http "
                                       "(Debian: qt6-httpserver-dev)"));
#endif
        }

        m_group.bindToApplication(); // finished() quits app with exitCode(); quit() stops it
        m_group.start();
        return 0;
    }

private:
    std::unique_ptr<Worker> m_worker;
    std::unique_ptr<LineServer> m_server;
    QTimer m_deadline;
    RunGroup m_group;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Service service;
    if (const int exitCode = service.setUp(app)) // bad options (2) or a busy port (1)
        return exitCode;
    return QCoreApplication::exec(); // until the group finishes: its exitCode()
}

#include "main.moc"
