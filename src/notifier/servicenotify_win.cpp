// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Windows has no systemd: ServiceNotifier is inert there (servicenotify_p.h). A Windows
// service reports its state to the Service Control Manager instead, which RunGroup does
// not do.

#include "servicenotify_p.h"

#include <cerrno>

bool ServiceNotify::available()
{
    return false;
}

int ServiceNotify::sendBuiltIn(const QByteArray &, const QByteArray &)
{
    return ENOTSUP;
}
