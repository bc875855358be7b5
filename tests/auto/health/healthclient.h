// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// HTTP clients for the health tests: QNetworkAccessManager for whole requests (a real
// client, as a probe is), a raw socket for what no real client would send.

#pragma once

#include <QtCore/QDeadlineTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QTcpSocket>

// Generous: sanitizer builds on a loaded two-core machine are slow. Never a duration check.
constexpr int kHealthTimeout = 60 * 1000;

struct HttpReply
{
    int status = 0; // 0: no HTTP answer (see error)
    QByteArray body;
    QByteArray contentType;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    QByteArray describe() const
    {
        return QByteArray::number(status) + ' ' + errorString.toUtf8() + '\n' + body;
    }
};

// A manager that never goes through a proxy from the environment.
inline void useNoProxy(QNetworkAccessManager &manager)
{
    manager.setProxy(QNetworkProxy::NoProxy);
}

// Sends one request with manager and waits for its answer, processing events (so an
// endpoint on this thread answers meanwhile).
inline HttpReply httpRequest(QNetworkAccessManager &manager, const QUrl &url,
                             const QByteArray &verb = "GET",
                             const QList<QPair<QByteArray, QByteArray>> &headers = {},
                             int timeoutMs = kHealthTimeout)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = manager.sendCustomRequest(request, verb);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpReply result;
    if (!reply->isFinished()) {
        reply->abort();
        result.errorString = QStringLiteral("no answer within %1 ms").arg(timeoutMs);
    } else {
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.contentType = reply->rawHeader("Content-Type");
        result.error = reply->error();
        result.errorString = reply->errorString();
        result.headers = reply->rawHeaderPairs();
    }
    reply->deleteLater();
    return result;
}

// Connects to port on 127.0.0.1, writes request and returns all it receives until the
// server closes the connection (or timeoutMs pass). Blocking: only for a server in
// another process.
inline QByteArray rawExchange(quint16 port, const QByteArray &request,
                              int timeoutMs = kHealthTimeout)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return "connect failed: " + socket.errorString().toUtf8();
    socket.write(request);
    QByteArray received;
    QDeadlineTimer deadline(timeoutMs);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        received += socket.readAll();
    }
    received += socket.readAll();
    return received;
}

// The status code of a raw HTTP answer ("HTTP/1.1 404 Not Found..."), or 0.
inline int rawStatus(const QByteArray &answer)
{
    static const QRegularExpression statusLine(QStringLiteral("^HTTP/1\\.[01] (\\d{3}) "));
    const QRegularExpressionMatch match = statusLine.match(QString::fromLatin1(answer.left(64)));
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}
