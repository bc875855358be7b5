// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "requestguard_p.h"

#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtNetwork/QTcpSocket>

#include <memory>

#include <sys/socket.h>

namespace {
QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    }
    return "Error";
}

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Visible ASCII or above (obs-text), and for header values also space and tab.
bool isFieldText(QByteArrayView text, bool spaces)
{
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u == 0x7f || (u < 0x20 && !(spaces && u == '\t')) || (!spaces && u == ' '))
            return false;
    }
    return true;
}
} // namespace

GuardedTcpServer::GuardedTcpServer(const RequestLimits *limits, QObject *parent)
    : QTcpServer(parent), m_limits(limits)
{
    // Bursts of connections (a thousand at once) wait in the kernel's queue rather than
    // being refused; the count above decides who is served.
    setListenBacklogSize(1024);
}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    if (m_open >= m_limits->maxConnections) {
        // Over the limit: answered here, never handed to QHttpServer.
        RequestGuard::reject(socket, 503, "Retry-After: 1\r\n");
        return;
    }
    new RequestGuard(socket, this); // connects to readyRead before QHttpServer does
    addPendingConnection(socket);
}

RequestGuard::RequestGuard(QTcpSocket *socket, GuardedTcpServer *server)
    : QObject(socket), m_socket(socket), m_server(server)
{
    ++server->m_open;
    // QHttpServer reads whatever is buffered: a small buffer bounds what one read holds.
    socket->setReadBufferSize(RequestLimits::kMaxHead * 2);
    connect(socket, &QTcpSocket::readyRead, this, &RequestGuard::onReadyRead);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &RequestGuard::onDeadline);
    m_deadline.start(server->m_limits->requestTimeoutMs);
}

RequestGuard::~RequestGuard()
{
    if (m_server)
        --m_server->m_open;
}

void RequestGuard::reject(QTcpSocket *socket, int status, const QByteArray &extraHeaders)
{
    // QHttpServer must not read or answer anything more on this connection.
    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    socket->readAll();
    const QByteArray body = QByteArray::number(status) + ' ' + reasonPhrase(status) + '\n';
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
                  + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\nConnection: close\r\n" + extraHeaders
                  + "\r\n" + body);
    // A lingering close: closing while the client still sends would make the kernel answer
    // with a reset, which may destroy our answer before the client read it. So: end our
    // side once the answer is out, keep discarding what comes (a bounded amount, one small
    // buffer at a time), and close when the client does, or after a grace period.
    socket->setReadBufferSize(4096);
    auto discarded = std::make_shared<qint64>(0);
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, discarded] {
        *discarded += socket->skip(socket->bytesAvailable());
        if (*discarded > kMaxDiscard)
            closeNow(socket);
    });
    QObject::connect(socket, &QTcpSocket::bytesWritten, socket, [socket] {
        if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    });
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(kLingerMs, socket, [socket] { closeNow(socket); });
}

void RequestGuard::closeNow(QTcpSocket *socket)
{
    socket->abort();
    socket->deleteLater();
}

void RequestGuard::onReadyRead()
{
    // Runs before QHttpServer's slot: peek, so it still reads every byte we let through.
    const QByteArray chunk = m_socket->peek(m_socket->bytesAvailable());
    if (const int status = feed(chunk.constData(), chunk.size())) {
        m_deadline.stop(); // answered: the connection only lingers now
        reject(m_socket, status);
    }
}

void RequestGuard::onDeadline()
{
    if (m_head.isEmpty() && !m_inBody) {
        m_socket->disconnectFromHost(); // an idle keep-alive connection: close it quietly
        QTimer::singleShot(kLingerMs, m_socket, [socket = m_socket] { closeNow(socket); });
        return;
    }
    reject(m_socket, 408);
}

int RequestGuard::feed(const char *data, qint64 size)
{
    const int timeout = m_server ? m_server->m_limits->requestTimeoutMs : 10000;
    while (size > 0) {
        if (m_inBody) {
            const qint64 n = qMin(size, m_bodyLeft);
            m_bodyLeft -= n;
            data += n;
            size -= n;
            if (m_bodyLeft == 0) {
                m_inBody = false;
                m_deadline.start(timeout); // complete: idle until the next request
            }
            continue;
        }
        if (m_head.isEmpty()) {
            // Blank lines before a request line are allowed (RFC 9112, 2.2).
            while (size > 0 && (*data == '\r' || *data == '\n')) {
                ++data;
                --size;
            }
            if (size == 0)
                break;
            m_deadline.start(timeout); // a request begins: it has this long to complete
        }
        // Look for the end of the head in what we have plus this chunk.
        const qint64 before = m_head.size();
        const qint64 take = qMin<qint64>(size, RequestLimits::kMaxHead + 4 - before);
        m_head.append(data, take);
        const qsizetype end = m_head.indexOf("\r\n\r\n", qMax<qint64>(0, before - 3));
        const qsizetype endLf = m_head.indexOf("\n\n", qMax<qint64>(0, before - 1));
        qsizetype headEnd = -1;
        if (end >= 0 && (endLf < 0 || end + 2 <= endLf))
            headEnd = end + 4;
        else if (endLf >= 0)
            headEnd = endLf + 2;
        if (headEnd < 0) {
            if (m_head.size() > RequestLimits::kMaxHead)
                return 431;
            return 0;
        }
        if (headEnd > RequestLimits::kMaxHead)
            return 431;
        const qint64 used = headEnd - before;
        m_head.truncate(headEnd);
        if (const int status = checkHead())
            return status;
        m_head.clear();
        data += used;
        size -= used;
        m_inBody = m_bodyLeft > 0;
        if (!m_inBody)
            m_deadline.start(timeout); // complete: idle until the next request
    }
    return 0;
}

int RequestGuard::checkHead()
{
    QList<QByteArray> lines = m_head.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    while (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return 400;
    // request-line = method SP request-target SP HTTP-version
    const QList<QByteArray> parts = lines.constFirst().split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || parts[1].isEmpty())
        return 400;
    if (parts[1].size() > RequestLimits::kMaxTarget)
        return 414;
    if (!isFieldText(parts[1], false) || !(parts[1].startsWith('/') || parts[1] == "*"))
        return 400;
    if (parts[2] != "HTTP/1.1" && parts[2] != "HTTP/1.0")
        return parts[2].startsWith("HTTP/") && parts[2].size() > 5 ? 505 : 400;
    if (lines.size() - 1 > RequestLimits::kMaxHeaders)
        return 431;
    m_bodyLeft = 0;
    bool haveLength = false;
    bool haveHost = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
            return 400; // also obs-fold: a line starting with a space
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (!isFieldText(value, true))
            return 400;
        const QByteArray name = line.left(colon).toLower();
        if (name == "host")
            haveHost = true;
        if (name == "transfer-encoding")
            return 501; // no endpoint takes a body, so no chunked decoding either
        if (name == "content-length") {
            bool ok = !value.isEmpty();
            for (char c : value)
                ok = ok && c >= '0' && c <= '9';
            const qint64 length = ok && value.size() <= 18 ? value.toLongLong(&ok) : -1;
            if (!ok || length < 0 || (haveLength && length != m_bodyLeft))
                return 400;
            if (length > RequestLimits::kMaxBody)
                return 413;
            haveLength = true;
            m_bodyLeft = length;
        }
    }
    if (parts[2] == "HTTP/1.1" && !haveHost)
        return 400; // RFC 9112, 3.2
    return 0;
}
