// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_TESTS_NOTIFYSOCKET_H
#define RUNGROUP_TESTS_NOTIFYSOCKET_H

#include <QtCore/QByteArray>
#include <QtCore/QDir>
#include <QtCore/QList>
#include <QtCore/QTemporaryDir>
#include <QtCore/qglobal.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <ctime>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

// A unix datagram socket standing in for systemd's notify socket. It keeps every datagram
// with the time the kernel queued it (SO_TIMESTAMPNS, CLOCK_REALTIME), so a test can tell
// when a message was sent even if it reads it late.
class NotifySocket
{
public:
    struct Datagram
    {
        QByteArray text;
        qint64 sentNs = 0; // CLOCK_REALTIME, taken by the kernel when it was queued
    };

    // A socket at a path in a temporary directory, or, if abstract, an abstract name.
    explicit NotifySocket(bool abstract = false)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0)
            return;
        const int on = 1;
        ::setsockopt(m_fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
        sockaddr_un sa;
        std::memset(&sa, 0, sizeof sa);
        sa.sun_family = AF_UNIX;
        if (abstract) {
            m_address = "@rungroup-test-" + QByteArray::number(qint64(::getpid())) + '-'
                        + QByteArray::number(quintptr(this));
        } else {
            m_address = QDir(m_dir.path()).filePath(QStringLiteral("notify")).toLocal8Bit();
        }
        std::memcpy(sa.sun_path, m_address.constData(), size_t(m_address.size()));
        if (abstract)
            sa.sun_path[0] = '\0';
        const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + size_t(m_address.size()));
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&sa), length) != 0) {
            ::close(m_fd);
            m_fd = -1;
            return;
        }
    }
    ~NotifySocket()
    {
        m_stop = true;
        if (m_reader.joinable())
            m_reader.join();
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(NotifySocket)

    bool isValid() const { return m_fd >= 0; }
    // What NOTIFY_SOCKET should be set to.
    QByteArray address() const { return m_address; }

    QList<Datagram> datagrams() const
    {
        if (!m_reader.joinable())
            receive(0);
        // A list of its own, built under the lock: never shared with the reader's.
        std::lock_guard<std::mutex> lock(m_mutex);
        return QList<Datagram>(m_datagrams.begin(), m_datagrams.end());
    }
    QList<QByteArray> texts() const
    {
        QList<QByteArray> result;
        for (const Datagram &d : datagrams())
            result.append(d.text);
        return result;
    }
    // Returns the text of the first or the last datagram, or an empty one if none came.
    QByteArray firstText() const
    {
        const QList<QByteArray> all = texts();
        return all.isEmpty() ? QByteArray() : all.constFirst();
    }
    QByteArray lastText() const
    {
        const QList<QByteArray> all = texts();
        return all.isEmpty() ? QByteArray() : all.constLast();
    }
    // Returns the datagrams whose text is text.
    QList<Datagram> matching(const QByteArray &text) const
    {
        QList<Datagram> result;
        for (const Datagram &d : datagrams()) {
            if (d.text == text)
                result.append(d);
        }
        return result;
    }
    int count(const QByteArray &text) const { return int(matching(text).size()); }
    // All datagrams, one per line, newlines inside shown as "\n": for failure messages.
    QByteArray dump() const
    {
        QByteArray out;
        for (const Datagram &d : datagrams())
            out += QByteArray(d.text).replace('\n', "\\n") + '\n';
        return out;
    }

    // Now, on the clock of Datagram::sentNs.
    static qint64 now()
    {
        timespec ts;
        ::clock_gettime(CLOCK_REALTIME, &ts);
        return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    }

    // Starts a thread that reads every datagram as it arrives. Without it, each look at
    // the datagrams reads what is waiting in the socket, on the calling thread: what a
    // test that starts processes needs, as ThreadSanitizer cannot start threads in a
    // process that forked (QProcess's vfork) while it had several.
    void startReading()
    {
        if (m_fd >= 0 && !m_reader.joinable())
            m_reader = std::thread([this] {
                while (!m_stop)
                    receive(20);
            });
    }

private:
    // Reads datagrams for up to timeoutMs (0: only those already waiting).
    void receive(int timeoutMs) const
    {
        char buffer[4096];
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
        pollfd p{m_fd, POLLIN, 0};
        while (::poll(&p, 1, timeoutMs) > 0) {
            iovec iov{buffer, sizeof buffer};
            msghdr message;
            std::memset(&message, 0, sizeof message);
            message.msg_iov = &iov;
            message.msg_iovlen = 1;
            message.msg_control = control;
            message.msg_controllen = sizeof control;
            const ssize_t n = ::recvmsg(m_fd, &message, MSG_DONTWAIT);
            if (n < 0)
                return;
            Datagram d;
            d.text = QByteArray(buffer, int(n));
            d.sentNs = now();
            for (cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                    timespec ts;
                    std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
                    d.sentNs = qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
                }
            }
            std::lock_guard<std::mutex> lock(m_mutex);
            m_datagrams.push_back(std::move(d));
            timeoutMs = 0;
        }
    }

    QTemporaryDir m_dir;
    QByteArray m_address;
    int m_fd = -1;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    mutable std::vector<Datagram> m_datagrams; // guarded by m_mutex
    std::thread m_reader;
};

// Sets (or, with a null value, unsets) an environment variable for one scope.
class EnvironmentGuard
{
public:
    EnvironmentGuard(const char *name, const QByteArray &value)
        : m_name(name), m_had(qEnvironmentVariableIsSet(name)), m_old(qgetenv(name))
    {
        if (value.isNull())
            qunsetenv(name);
        else
            qputenv(name, value);
    }
    ~EnvironmentGuard()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    Q_DISABLE_COPY_MOVE(EnvironmentGuard)

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

// A stand-in for the service manager in this process: a NotifySocket, read from the start,
// that NOTIFY_SOCKET names for as long as it exists.
class FakeServiceManager : public NotifySocket
{
public:
    explicit FakeServiceManager(bool abstract = false)
        : NotifySocket(abstract), m_environment("NOTIFY_SOCKET", address())
    {
        startReading();
    }

private:
    EnvironmentGuard m_environment;
};

#endif // RUNGROUP_TESTS_NOTIFYSOCKET_H
