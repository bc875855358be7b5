// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_REQUESTGUARD_P_H
#define RUNGROUP_REQUESTGUARD_P_H

//
//  W A R N I N G
//  -------------
//
// This file is not part of the RunGroup API. It exists purely as an
// implementation detail. This header file may change from version to
// version without notice, or even be removed.
//
// We mean it.
//

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>

class QTcpSocket;

// What a connection may send and hold. All limits apply per connection, except the count.
struct RequestLimits
{
    int maxConnections = 128;
    int requestTimeoutMs = 10000;
    static constexpr int kMaxHead = 8192;     // request line and headers: 431 beyond
    static constexpr int kMaxTarget = 2048;   // the request target: 414 beyond
    static constexpr int kMaxHeaders = 64;    // header lines: 431 beyond
    static constexpr qint64 kMaxBody = 65536; // Content-Length: 413 beyond
};

// The listening socket in front of QHttpServer. QHttpServer 6.4 parses and routes, but it
// has no limits: a request head of any size is buffered, a client may take forever to send
// one, connections are not counted, and a request it cannot parse is closed without a
// status. So each accepted socket gets a RequestGuard before QHttpServer sees it, and
// connections over the limit are answered 503 here. Lives on the endpoint's thread.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit GuardedTcpServer(const RequestLimits *limits, QObject *parent = nullptr);

    int openConnections() const { return m_open; }

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    friend class RequestGuard;
    const RequestLimits *const m_limits; // owned by the endpoint, which outlives this
    int m_open = 0;                      // connections handed to QHttpServer, not yet gone
};

// Checks one connection's requests as their bytes arrive, before QHttpServer reads them
// (its readyRead slot is connected first): the framing only (request line, header lines,
// sizes, Content-Length), never routing. A request that breaks a rule is answered here
// (400, 408, 413, 414, 431, 501) and the connection closed; QHttpServer never sees it.
// A child of the socket, so it dies with it.
class RequestGuard : public QObject
{
    Q_OBJECT
public:
    RequestGuard(QTcpSocket *socket, GuardedTcpServer *server);
    ~RequestGuard() override;

    // Answers status with a short text body and closes the connection.
    static void reject(QTcpSocket *socket, int status, const QByteArray &extraHeaders = {});
    static void closeNow(QTcpSocket *socket);

    static constexpr int kLingerMs = 2000;         // a rejected client's time to read and close
    static constexpr qint64 kMaxDiscard = 1 << 20; // what a rejected client may still send

private:
    void onReadyRead();
    void onDeadline();
    // Consumes bytes of the current request; returns 0 to go on, else a status to reject with.
    int feed(const char *data, qint64 size);
    int checkHead(); // the complete head in m_head

    QTcpSocket *const m_socket;
    QPointer<GuardedTcpServer> m_server;
    QTimer m_deadline;     // a whole request, or an idle keep-alive connection
    QByteArray m_head;     // the current request's head so far
    qint64 m_bodyLeft = 0; // body bytes of the current request still to come
    bool m_inBody = false;
};

#endif // RUNGROUP_REQUESTGUARD_P_H
