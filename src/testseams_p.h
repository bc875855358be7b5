// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_TESTSEAMS_P_H
#define RUNGROUP_TESTSEAMS_P_H

#include <RunGroup/rungroup_export.h>

#include <chrono>

// Test seams, not API: exported for the library's own tests, declared in no installed
// header. Thread-safe.
namespace RunGroupTesting {
// Makes the next count thread creations of the library fail with errorCode (an errno
// value) as if the system had refused them; count 0 turns it off.
RUNGROUP_EXPORT void failThreadCreations(int count, int errorCode);
// Sets the longest single wait of addTimeout()'s timer (default: INT_MAX / 2 ms, what a Qt
// timer's int interval holds with room to spare); longer deadlines are waited for in
// several such steps. Zero or negative restores the default. Affects timeouts that start
// afterwards.
RUNGROUP_EXPORT void setLongTimerStep(std::chrono::milliseconds step);
#ifdef _WIN32
// Windows: hands a console control event (CTRL_C_EVENT, ...) to the signal watchers as the
// routine registered with SetConsoleCtrlHandler() does, without holding the process for
// the closing events. Returns true if a watcher took it (the routine would return TRUE).
RUNGROUP_EXPORT bool deliverConsoleControlEvent(unsigned long event);
#endif

// Makes the library take version (a string that must outlive its use, e.g. a literal) for
// the Qt version it runs against, instead of qVersion(); null restores the real one. A
// version other than the one it was compiled against keeps it from writing into Qt's
// private QThread data: interrupted actor threads are then retired, not reused.
RUNGROUP_EXPORT void setQtRuntimeVersion(const char *version);
} // namespace RunGroupTesting

#endif // RUNGROUP_TESTSEAMS_P_H
