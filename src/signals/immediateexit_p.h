// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_IMMEDIATEEXIT_P_H
#define RUNGROUP_IMMEDIATEEXIT_P_H

#include <cstddef>

// Ending the process at once, for the second-signal policy and the shutdown watchdog:
// writes length bytes of message to standard error unbuffered and exits with code, running
// no destructors and no atexit handlers (they might wait for the thread that is stuck).
// POSIX: write(2) and _exit(2), async-signal-safe (immediateexit_posix.cpp); Windows:
// WriteFile() and _exit() (immediateexit_win.cpp).
namespace ImmediateExit {
[[noreturn]] void exit(int code, const char *message, size_t length);
} // namespace ImmediateExit

#endif // RUNGROUP_IMMEDIATEEXIT_P_H
