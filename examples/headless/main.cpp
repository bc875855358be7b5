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
// --flaky makes the worker fail after 3 ticks of each incarnation: it restarts after a
// growing backoff (200, 400, 800, 1600 ms), and its fifth failure within a minute ends the
// run with exit code 1 (docs/restarts.md).
// SIGHUP reloads the settings (--config <file>, a line "interval=<ms>" for the worker's
// tick) without ending the run: RunGroup::setReloadSignals() and setReloadHandler().
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
//   [worker] restarting: attempt <n> in <ms> ms after: <error>
//   [worker] reloaded: interval <ms> ms
//   finished: <error>
// where <error> is RunError::toString(), e.g. "no error" or "Signal: Received signal SIGTERM".

#include <RunGroup/RunGroup>

#include <QtCore/QAbstractItemModel>
#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
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
    Worker(std::chrono::milliseconds failAfter, bool stuck, bool flaky)
        : m_failAfter(failAfter), m_stuck(stuck), m_flaky(flaky)
    { }

    // Called on the worker's thread after the first tick of each incarnation (a restarted
    // worker is ready again only then): the worker is warmed up.
    void setOnReady(std::function<void()> onReady) { m_onReady = std::move(onReady); }

    // Any thread: the tick interval, from the settings (reload()).
    void setInterval(std::chrono::milliseconds interval) { m_intervalMs = int(interval.count()); }

    RunError run()
    {
        const QDeadlineTimer failure = m_failAfter > 0ms ? QDeadlineTimer(m_failAfter)
                                                         : QDeadlineTimer(QDeadlineTimer::Forever);
        int ticks = 0; // of this incarnation
        std::unique_lock lock(m_mutex);
        // wait_for returns true as soon as the interrupt sets m_stopping: no tick is lost
        // to a sleep, and shutdown does not wait for the next one. The flag is never reset:
        // an interrupt that comes before a restarted incarnation runs still counts.
        while (!m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs.load()),
                                [this] { return m_stopping; })) {
            logLine(QStringLiteral("[worker] tick %1").arg(++m_ticks));
            if (++ticks == 1 && m_onReady)
                m_onReady();
            if (failure.hasExpired())
                return RunError::failure(QStringLiteral("worker: simulated failure"));
            if (m_flaky && ticks == 3)
                return RunError::failure(QStringLiteral("worker: flaky failure"));
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
    const bool m_flaky;
    std::atomic<int> m_intervalMs{200};
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
    bool flaky = false;
    QString config;
    std::chrono::milliseconds drainDelay{0};
    int healthPort = -1; // -1: no health endpoint
    QHostAddress healthAddress{QHostAddress::LocalHost};
};

// Reads the settings file: a line "interval=<ms>" (1 to 60000) sets the worker's tick.
// Returns the interval, or nothing (with a line on stderr) when the file is unreadable or
// bad: the settings in force stay.
std::optional<std::chrono::milliseconds> readSettings(const QString &fileName)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        std::fprintf(stderr, "error: cannot read %s: %s\n", qPrintable(fileName),
                     qPrintable(file.errorString()));
        return std::nullopt;
    }
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.startsWith("interval="))
            continue;
        bool ok = false;
        const int ms = line.mid(9).toInt(&ok);
        if (ok && ms >= 1 && ms <= 60000)
            return std::chrono::milliseconds(ms);
    }
    std::fprintf(stderr, "error: %s has no line interval=<1 to 60000>\n", qPrintable(fileName));
    return std::nullopt;
}

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
    const QCommandLineOption flaky(
        QStringLiteral("flaky"),
        QStringLiteral("Make the worker fail every 3 ticks; it restarts with a backoff, and "
                       "the fifth failure within a minute ends the run."));
    const QCommandLineOption config(
        QStringLiteral("config"),
        QStringLiteral("Read the settings (interval=<ms>) from <file>, again on SIGHUP."),
        QStringLiteral("file"));
    parser.addOptions({port, duration, failAfter, shutdownTimeout, stuck, flaky, config, healthPort,
                       healthAddress, drainDelay});
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
    options.flaky = parser.isSet(flaky);
    options.config = parser.value(config);
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
        m_worker = std::make_unique<Worker>(options->failAfter, options->stuck, options->flaky);
        if (!options->config.isEmpty()) {
            const auto interval = readSettings(options->config);
            if (!interval)
                return 2;
            m_worker->setInterval(*interval);
        }
        m_server = std::make_unique<LineServer>(*m_worker);
        if (!m_server->listen(QHostAddress::LocalHost, options->port))
            return fail(QStringLiteral("server: cannot listen on 127.0.0.1:%1: %2")
                            .arg(options->port)
                            .arg(m_server->errorString()));
        logLine(QStringLiteral("listening on 127.0.0.1:%1").arg(m_server->serverPort()));

        // Bound, but it serves only once its actor starts: after the worker is ready.
        m_server->pauseAccepting();

        logActors(m_group);
        // SIGINT, SIGTERM: exits with RunError::Kind::Signal; SIGHUP reloads the settings.
        const int signalsIndex = m_group.addSignalHandler();
#ifdef SIGHUP
        m_group.setReloadSignals(signalsIndex, {SIGHUP});
#else
        m_group.setReloadSignals(signalsIndex, {SIGBREAK}); // Windows: Ctrl+Break
#endif
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
        // Restarts (docs/restarts.md): a failing worker starts again after a growing
        // backoff; its fifth failure within a minute ends the run.
        if (options->flaky) {
            m_group.setExitPolicy(workerIndex, RunGroup::ExitPolicy::RestartOnError);
            m_group.setRestartLimit(workerIndex, 4, 1min);
            m_group.setRestartBackoff(workerIndex, 200ms, 1600ms);
        }
        QObject::connect(
            &m_group, &RunGroup::actorRestarting, &m_group,
            [group = &m_group](int index, const RunError &error, int attempt) {
                const QAbstractItemModel *model = group->actorModel();
                const QDateTime next =
                    model->index(index, 0).data(model->roleNames().key("nextAttempt")).toDateTime();
                logLine(QStringLiteral("[%1] restarting: attempt %2 in %3 ms after: %4")
                            .arg(group->actorName(index))
                            .arg(attempt)
                            .arg(QDateTime::currentDateTime().msecsTo(next))
                            .arg(error.toString()));
            });
        // Reload (SIGHUP): the worker's handler reads the settings again, on this thread.
        m_group.setReloadHandler(workerIndex, [worker, config = options->config] {
            if (config.isEmpty()) {
                logLine(QStringLiteral("[worker] reloaded: no --config file"));
                return;
            }
            if (const auto interval = readSettings(config)) {
                worker->setInterval(*interval);
                logLine(QStringLiteral("[worker] reloaded: interval %1 ms").arg(interval->count()));
            }
        });
        if (options->duration > 0ms)
            addDeadline(m_group, m_deadline, options->duration);
        m_group.setShutdownTimeout(options->shutdownTimeout);
        m_group.setDrainDelay(options->drainDelay);

        // Under systemd: READY=1 once the group says every actor is ready (the worker has
        // ticked), STOPPING=1, STATUS=, watchdog pings. Without NOTIFY_SOCKET the notifier
        // sends nothing. markReady() is thread-safe: the worker calls it on its own thread.
        new ServiceNotifier(&m_group);
        worker->setOnReady([group = &m_group, workerIndex] { group->markReady(workerIndex); });

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
