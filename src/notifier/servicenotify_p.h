// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_SERVICENOTIFY_P_H
#define RUNGROUP_SERVICENOTIFY_P_H

#include <QtCore/QByteArray>

// The sending side of the systemd notify protocol. Thread-safe: every call opens, uses
// and closes its own socket, as sd_notify() does.
// POSIX: servicenotify_builtin.cpp; Windows, where no service manager speaks it:
// servicenotify_win.cpp, and ServiceNotifier is inert (sends nothing, warns of nothing).
namespace ServiceNotify {
// Returns true if the platform has the protocol at all (POSIX); otherwise returns false.
bool available();
// Sends state as one datagram to address, in NOTIFY_SOCKET's syntax: an absolute path, or
// "@name" for a name in the abstract namespace. Never blocks (MSG_DONTWAIT) and never
// raises SIGPIPE. Returns 0, or an errno value: EINVAL for a malformed address,
// ENAMETOOLONG when it does not fit a sockaddr_un, ENOENT, ECONNREFUSED, EAGAIN, ...
int sendBuiltIn(const QByteArray &address, const QByteArray &state);
} // namespace ServiceNotify

#endif // RUNGROUP_SERVICENOTIFY_P_H
