// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The built-in sender of the notify protocol: what sd_notify() does for a plain unix
// socket, without libsystemd. Also compiled into tests/auto/servicenotifier, so that it is
// tested whichever sender the library uses.

#include "servicenotify_p.h"

#include <cerrno>
#include <cstddef>
#include <cstring>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

bool ServiceNotify::available()
{
    return true;
}

int ServiceNotify::sendBuiltIn(const QByteArray &address, const QByteArray &state)
{
    // Only the forms systemd documents for NOTIFY_SOCKET on a unix socket.
    if (address.size() < 2 || (address.at(0) != '/' && address.at(0) != '@')
        || address.contains('\0'))
        return EINVAL;
    sockaddr_un sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (size_t(address.size()) > sizeof sa.sun_path)
        return ENAMETOOLONG;
    std::memcpy(sa.sun_path, address.constData(), size_t(address.size()));
    socklen_t length = socklen_t(offsetof(sockaddr_un, sun_path) + size_t(address.size()));
    if (address.at(0) == '@') {
        sa.sun_path[0] = '\0'; // abstract: the length, not a terminator, ends the name
    } else if (size_t(address.size()) < sizeof sa.sun_path) {
        ++length; // include the terminating zero, as systemd does for paths
    }

#ifdef SOCK_CLOEXEC // Linux; macOS sets the flag afterwards
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
#else
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0)
        return errno;
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
#ifdef MSG_NOSIGNAL // Linux; macOS has a socket option instead
    constexpr int kFlags = MSG_NOSIGNAL | MSG_DONTWAIT;
#else
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
    constexpr int kFlags = MSG_DONTWAIT;
#endif
    iovec iov;
    iov.iov_base = const_cast<char *>(state.constData());
    iov.iov_len = size_t(state.size());
    msghdr message;
    std::memset(&message, 0, sizeof message);
    message.msg_name = &sa;
    message.msg_namelen = length;
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    ssize_t sent;
    do {
        sent = ::sendmsg(fd, &message, kFlags);
    } while (sent < 0 && errno == EINTR);
    const int error = sent < 0 ? errno : 0;
    ::close(fd);
    return error;
}
