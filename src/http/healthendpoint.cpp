// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include <RunGroup/healthendpoint.h>

#include "healthmetrics_p.h"
#include "requestguard_p.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QLoggingCategory>
#include <QtCore/QMetaEnum>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QUrlQuery>
#include <QtHttpServer/QHttpServer>
#include <QtHttpServer/QHttpServerRequest>
#include <QtHttpServer/QHttpServerResponse>

#include <memory>

Q_LOGGING_CATEGORY(lcHttp, "rungroup.http", QtWarningMsg)

// Everything here belongs to the group's thread: the group's signals arrive there, and
// QHttpServer, a child of the endpoint, answers there.
class HealthEndpointPrivate
{
    Q_DECLARE_PUBLIC(HealthEndpoint)
public:
    HealthEndpointPrivate(HealthEndpoint *q, RunGroup *group) : q_ptr(q), group(group) { }

    void attach();
    void syncActors();
    void started();
    void actorReady(int index);
    void actorExited(int index, const RunError &error);
    void stateChanged(RunGroup::State state);
    void finished();
    void updateReady();
    QString actorLabel(int index) const;

    QHttpServerResponse answer(const QHttpServerRequest &request, QByteArrayView path);
    QHttpServerResponse livez(const QHttpServerRequest &request) const;
    QHttpServerResponse readyz(const QHttpServerRequest &request) const;
    QHttpServerResponse metrics(const QHttpServerRequest &request);

    HealthEndpoint *q_ptr;
    QPointer<RunGroup> group;
    bool onGroupThread = true;
    RequestLimits limits;
    std::unique_ptr<QHttpServer> http; // while listening
    QPointer<GuardedTcpServer> tcp;    // owned by http
    GroupMetrics metricsState;
    bool inRun = false;        // between started() and finished()
    bool stopping = false;     // the current run left Running (drain, interrupts)
    bool reachedReady = false; // every actor was ready once in this run
    QElapsedTimer runClock;    // since started()
    QElapsedTimer stopClock;   // since the run left Running
};

namespace {
QByteArray kindLabel(RunError::Kind kind)
{
    switch (kind) {
    case RunError::Kind::NoError: return "no_error";
    case RunError::Kind::Failure: return "failure";
    case RunError::Kind::Exception: return "exception";
    case RunError::Kind::Signal: return "signal";
    case RunError::Kind::Canceled: return "canceled";
    case RunError::Kind::Timeout: return "timeout";
    }
    return "unknown";
}

QByteArray stateLabel(RunGroup::State state)
{
    const char *key = QMetaEnum::fromType<RunGroup::State>().valueToKey(int(state));
    return key ? QByteArray(key).toLower() : QByteArrayLiteral("unknown");
}

QHttpServerResponse textResponse(const QByteArray &body, QHttpServerResponder::StatusCode status,
                                 const QByteArray &contentType = "text/plain; charset=utf-8")
{
    QHttpServerResponse response(contentType, body, status);
    // Probes and scrapes want the state now, never a cached copy.
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    QHttpHeaders headers = response.headers();
    headers.append(QHttpHeaders::WellKnownHeader::CacheControl, "no-store");
    response.setHeaders(std::move(headers));
#else
    response.addHeader("Cache-Control", "no-store");
#endif
    return response;
}

bool isVerbose(const QHttpServerRequest &request)
{
    return request.query().hasQueryItem(QStringLiteral("verbose"));
}
} // namespace

void HealthEndpointPrivate::attach()
{
    Q_Q(HealthEndpoint);
    QMetaEnum states = QMetaEnum::fromType<RunGroup::State>();
    for (int i = 0; i < states.keyCount(); ++i)
        metricsState.states.append(QByteArray(states.key(i)).toLower());
    if (!group)
        return;
    QObject::connect(group, &RunGroup::started, q, [this] { started(); });
    QObject::connect(group, &RunGroup::countChanged, q, [this] { syncActors(); });
    QObject::connect(group, &RunGroup::actorStarted, q, [this](int index) {
        syncActors();
        metricsState.actors[size_t(index)].up = true;
    });
    QObject::connect(group, &RunGroup::actorReady, q, [this](int index) { actorReady(index); });
    QObject::connect(group, &RunGroup::actorExited, q,
                     [this](int index, const RunError &error) { actorExited(index, error); });
    QObject::connect(group, &RunGroup::actorInterrupted, q, [this](int index) {
        syncActors();
        ++metricsState.actors[size_t(index)].interrupts;
    });
    // A restart is no exit (no actorExited()): the actor is down until it is ready again,
    // and so is /readyz.
    QObject::connect(group, &RunGroup::actorRestarting, q, [this](int index) {
        syncActors();
        ActorMetrics &actor = metricsState.actors[size_t(index)];
        ++actor.restarts;
        actor.up = false;
        actor.ready = false;
        updateReady();
    });
    QObject::connect(group, &RunGroup::stateChanged, q,
                     [this](RunGroup::State state) { stateChanged(state); });
    QObject::connect(group, &RunGroup::finished, q, [this] { finished(); });
    QObject::connect(group, &QObject::destroyed, q, [this] {
        inRun = false;
        updateReady();
    });

    // Created while the group runs: take that run as it is now.
    syncActors();
    metricsState.state = stateLabel(group->state());
    if (group->isRunning()) {
        inRun = true;
        runClock.start();
        stopping = group->state() != RunGroup::State::Running;
        if (stopping)
            stopClock.start();
        for (int i = 0; i < group->count(); ++i)
            metricsState.actors[size_t(i)].ready = group->isReady(i);
        updateReady();
    }
}

QString HealthEndpointPrivate::actorLabel(int index) const
{
    const QString name = group ? group->actorName(index) : QString();
    return name.isEmpty() ? QStringLiteral("actor %1").arg(index) : name;
}

void HealthEndpointPrivate::syncActors()
{
    if (!group)
        return;
    const int count = group->count();
    metricsState.actors.resize(size_t(count));
    for (int i = 0; i < count; ++i)
        metricsState.actors[size_t(i)].name = actorLabel(i);
}

void HealthEndpointPrivate::started()
{
    syncActors();
    ++metricsState.runs;
    for (ActorMetrics &actor : metricsState.actors) {
        actor.up = false;
        actor.ready = false;
    }
    inRun = true;
    stopping = false;
    reachedReady = false;
    runClock.start();
    metricsState.state = stateLabel(group->state());
    updateReady();
}

void HealthEndpointPrivate::actorReady(int index)
{
    syncActors();
    metricsState.actors[size_t(index)].ready = true;
    updateReady();
}

void HealthEndpointPrivate::actorExited(int index, const RunError &error)
{
    syncActors();
    ActorMetrics &actor = metricsState.actors[size_t(index)];
    actor.up = false;
    actor.ready = false;
    ++actor.exits[kindLabel(error.kind())];
    updateReady();
}

void HealthEndpointPrivate::stateChanged(RunGroup::State state)
{
    metricsState.state = stateLabel(state);
    // Any state after Running (a drain's, Interrupting, Finished) is the run stopping:
    // /readyz turns 503 at the first of them, before any interrupt goes out.
    if (inRun && !stopping && state != RunGroup::State::Running) {
        stopping = true;
        stopClock.start();
    }
    updateReady();
}

void HealthEndpointPrivate::finished()
{
    if (inRun && stopClock.isValid())
        metricsState.shutdownDurationSeconds = double(stopClock.nsecsElapsed()) / 1e9;
    inRun = false;
    stopClock.invalidate();
    updateReady();
}

void HealthEndpointPrivate::updateReady()
{
    bool ready = inRun && !stopping && group && group->state() == RunGroup::State::Running
                 && !metricsState.actors.empty();
    for (const ActorMetrics &actor : metricsState.actors)
        ready = ready && actor.ready;
    if (ready && !reachedReady) {
        reachedReady = true;
        metricsState.timeToReadySeconds = double(runClock.nsecsElapsed()) / 1e9;
    }
    if (ready == metricsState.ready)
        return;
    metricsState.ready = ready;
    Q_EMIT q_ptr->readyChanged(ready);
}

QHttpServerResponse HealthEndpointPrivate::answer(const QHttpServerRequest &request,
                                                  QByteArrayView path)
{
    if (request.method() != QHttpServerRequest::Method::Get) {
        QHttpServerResponse response = textResponse(
            "405 Method Not Allowed\n", QHttpServerResponder::StatusCode::MethodNotAllowed);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
        QHttpHeaders headers = response.headers();
        headers.append(QHttpHeaders::WellKnownHeader::Allow, "GET");
        response.setHeaders(std::move(headers));
#else
        response.addHeader("Allow", "GET");
#endif
        return response;
    }
    if (path == "/livez")
        return livez(request);
    if (path == "/readyz")
        return readyz(request);
    return metrics(request);
}

QHttpServerResponse HealthEndpointPrivate::livez(const QHttpServerRequest &request) const
{
    // Answered here, on the group's thread: a blocked event loop answers nothing.
    return textResponse(isVerbose(request) ? "[+]ping ok\nlivez check passed\n" : "ok\n",
                        QHttpServerResponder::StatusCode::Ok);
}

QHttpServerResponse HealthEndpointPrivate::readyz(const QHttpServerRequest &request) const
{
    const bool ready = metricsState.ready;
    const auto status = ready ? QHttpServerResponder::StatusCode::Ok
                              : QHttpServerResponder::StatusCode::ServiceUnavailable;
    if (!isVerbose(request))
        return textResponse(ready ? "ok\n" : "not ready\n", status);
    // As Kubernetes' /readyz?verbose: a line per check, then the verdict. The group's run
    // is the first check, so a drain shows even while every actor is still ready.
    QByteArray body;
    const QByteArray state = group ? stateLabel(group->state()) : QByteArrayLiteral("destroyed");
    const bool running = inRun && !stopping && group && group->state() == RunGroup::State::Running;
    body += running ? QByteArray("[+]run ok\n") : QByteArray("[-]run " + state + '\n');
    for (const ActorMetrics &actor : metricsState.actors) {
        const QByteArray name = actor.name.toUtf8().replace('\n', ' ');
        body += actor.ready ? QByteArray("[+]" + name + " ok\n")
                            : QByteArray("[-]" + name + " not ready\n");
    }
    body += ready ? "readyz check passed\n" : "readyz check failed\n";
    return textResponse(body, status);
}

QHttpServerResponse HealthEndpointPrivate::metrics(const QHttpServerRequest &request)
{
    const bool openMetrics = HealthMetrics::wantsOpenMetrics(request.value("Accept"));
    if (group)
        metricsState.state = stateLabel(group->state());
    return textResponse(HealthMetrics::write(metricsState, openMetrics),
                        QHttpServerResponder::StatusCode::Ok,
                        HealthMetrics::contentType(openMetrics));
}

HealthEndpoint::HealthEndpoint(RunGroup *group, QObject *parent)
    : QObject(parent), d_ptr(std::make_unique<HealthEndpointPrivate>(this, group))
{
    Q_D(HealthEndpoint);
    if (group && group->thread() != QThread::currentThread()) {
        qCWarning(lcHttp, "HealthEndpoint: Must be created on the group's thread");
        d->onGroupThread = false;
        return;
    }
    if (!group)
        qCWarning(lcHttp, "HealthEndpoint: No group given; /readyz answers 503");
    d->attach();
}

HealthEndpoint::~HealthEndpoint()
{
    close();
}

RunGroup *HealthEndpoint::group() const
{
    Q_D(const HealthEndpoint);
    return d->group;
}

bool HealthEndpoint::listen(const QHostAddress &address, quint16 port)
{
    Q_D(HealthEndpoint);
    const QString where = address.protocol() == QAbstractSocket::IPv6Protocol
                              ? QStringLiteral("[%1]:%2").arg(address.toString()).arg(port)
                              : QStringLiteral("%1:%2").arg(address.toString()).arg(port);
    if (!d->onGroupThread || thread() != QThread::currentThread()) {
        qCWarning(lcHttp, "HealthEndpoint::listen: Must be called on the group's thread");
        return false;
    }
    if (d->http) {
        qCWarning(lcHttp, "HealthEndpoint::listen: Already listening on port %u; close() first",
                  unsigned(serverPort()));
        return false;
    }
    auto tcp = std::make_unique<GuardedTcpServer>(&d->limits);
    if (!tcp->listen(address, port)) {
        qCWarning(lcHttp, "HealthEndpoint::listen: Cannot listen on %s: %s", qPrintable(where),
                  qPrintable(tcp->errorString()));
        return false;
    }
    auto http = std::make_unique<QHttpServer>();
    // Every method reaches the handlers, which answer 405 to all but GET.
    http->route(QStringLiteral("/livez"),
                [d](const QHttpServerRequest &request) { return d->answer(request, "/livez"); });
    http->route(QStringLiteral("/readyz"),
                [d](const QHttpServerRequest &request) { return d->answer(request, "/readyz"); });
    http->route(QStringLiteral("/metrics"),
                [d](const QHttpServerRequest &request) { return d->answer(request, "/metrics"); });
    d->tcp = tcp.get();
    http->bind(tcp.release()); // takes it: its parent becomes the QHttpServer
    d->http = std::move(http);
    return true;
}

bool HealthEndpoint::isListening() const
{
    Q_D(const HealthEndpoint);
    return d->tcp && d->tcp->isListening();
}

quint16 HealthEndpoint::serverPort() const
{
    Q_D(const HealthEndpoint);
    return d->tcp && d->tcp->isListening() ? d->tcp->serverPort() : 0;
}

void HealthEndpoint::close()
{
    Q_D(HealthEndpoint);
    // The sockets are children of the TCP server, a child of the QHttpServer: all go.
    d->http.reset();
}

bool HealthEndpoint::isReady() const
{
    Q_D(const HealthEndpoint);
    return d->metricsState.ready;
}

void HealthEndpoint::setMaxConnections(int count)
{
    Q_D(HealthEndpoint);
    d->limits.maxConnections = qMax(1, count);
}

int HealthEndpoint::maxConnections() const
{
    Q_D(const HealthEndpoint);
    return d->limits.maxConnections;
}

void HealthEndpoint::setRequestTimeout(int ms)
{
    Q_D(HealthEndpoint);
    d->limits.requestTimeoutMs = qMax(1, ms);
}

int HealthEndpoint::requestTimeout() const
{
    Q_D(const HealthEndpoint);
    return d->limits.requestTimeoutMs;
}
