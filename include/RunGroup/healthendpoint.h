// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_HEALTHENDPOINT_H
#define RUNGROUP_HEALTHENDPOINT_H

#include <RunGroup/rungroup.h>
#include <RunGroup/rungrouphttp_export.h>

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtNetwork/QHostAddress>

#include <memory>

class HealthEndpointPrivate;

//! HealthEndpoint answers a group's health over HTTP: Kubernetes' probes and Prometheus.
//!
//! - `/livez`: 200 `ok` whenever it answers. Requests are answered by the group thread's
//!   event loop, so a blocked loop stops answering, which is what a liveness probe is for.
//! - `/readyz`: 200 once every actor of the running group is ready (see
//!   RunGroup::requireReady()) and until the run begins to stop; 503 while the group is
//!   idle, starting, stopping (also during a drain) and finished. `/readyz?verbose` lists
//!   each actor as Kubernetes does: `[+]worker ok`, `[-]server not ready`, then
//!   `readyz check passed` or `readyz check failed`.
//! - `/metrics`: the group's runs, actors, exits, interrupts, time to ready and shutdown
//!   duration in Prometheus' text format 0.0.4, or in OpenMetrics 1.0.0 when the request's
//!   Accept header asks for `application/openmetrics-text`.
//!
//! Other paths get 404, other methods than GET 405. Each connection is held to limits
//! (request head size, a deadline for a whole request, a number of open connections), so
//! no client can hold the group's thread or grow memory without bound; see docs/health.md.
//!
//! It observes the group rather than being one of its actors: the group's actors, indexes
//! and outcome are the same with or without it. Create it and call listen() on the group's
//! thread, before RunGroup::start(), so a busy port ends the program before any actor
//! runs. Link RunGroup::Http (`find_package(RunGroup CONFIG REQUIRED COMPONENTS Http)`);
//! `#include <RunGroup/HealthEndpoint>`.
class RUNGROUPHTTP_EXPORT HealthEndpoint : public QObject
{
    Q_OBJECT
    //! Whether /readyz answers 200; see isReady().
    Q_PROPERTY(bool ready READ isReady NOTIFY readyChanged)

public:
    //! Creates an endpoint for group, on the group's thread (elsewhere it prints
    //! `"HealthEndpoint: Must be created on the group's thread"` and never listens). It does
    //! not listen until listen() is called. If group is destroyed first, /readyz answers
    //! 503 and /metrics what it last saw.
    explicit HealthEndpoint(RunGroup *group, QObject *parent = nullptr);
    //! Closes the port and every connection.
    ~HealthEndpoint() override;

    //! Returns the group this endpoint reports on, or nullptr once it was destroyed.
    RunGroup *group() const;

    //! Listens on address and port (0: a free port, see serverPort()). The default is the
    //! loopback interface: health and metrics tell a caller what runs and how, so exposing
    //! them is the caller's choice (QHostAddress::Any in a container, where the probes and
    //! Prometheus come from outside). Returns true if it listens; otherwise (the port is in
    //! use or privileged, the address is not local, it already listens) prints a warning
    //! naming the address, port and reason, and returns false. Call on the group's thread.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    //! Returns true if listen() succeeded and close() was not called since.
    bool isListening() const;
    //! Returns the port it listens on, or 0 when it does not listen.
    quint16 serverPort() const;
    //! Stops listening and closes every connection. listen() may be called again.
    void close();

    //! Returns true if /readyz answers 200 now; otherwise returns false.
    bool isReady() const;

    //! Sets the most connections open at once (default 128, at least 1). A connection over
    //! the limit is answered 503 with `Retry-After: 1` and closed. Applies to new
    //! connections.
    void setMaxConnections(int count);
    //! Returns the most connections open at once; see setMaxConnections().
    int maxConnections() const;
    //! Sets how long a client may take to send a whole request, and how long an idle
    //! keep-alive connection stays open (default 10000 ms, at least 1). A request not
    //! complete in time is answered 408 and its connection closed.
    void setRequestTimeout(int ms);
    //! Returns the request timeout in milliseconds; see setRequestTimeout().
    int requestTimeout() const;

Q_SIGNALS:
    //! This signal is emitted on the group's thread when isReady() changes to ready.
    void readyChanged(bool ready);

private:
    Q_DECLARE_PRIVATE(HealthEndpoint)
    Q_DISABLE_COPY_MOVE(HealthEndpoint)
    std::unique_ptr<HealthEndpointPrivate> d_ptr;
};

#endif // RUNGROUP_HEALTHENDPOINT_H
