// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "immediateexit_p.h"

#include <unistd.h>

void ImmediateExit::exit(int code, const char *message, size_t length)
{
    // Only async-signal-safe calls: this runs inside a C signal handler.
    [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message, length);
    ::_exit(code);
}
