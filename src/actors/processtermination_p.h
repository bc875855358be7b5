// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_PROCESSTERMINATION_P_H
#define RUNGROUP_PROCESSTERMINATION_P_H

#include <QtCore/QProcess>
#include <QtCore/QString>

// How addProcess() asks a child to stop and reads how it ended, per platform
// (processtermination_posix.cpp, processtermination_win.cpp). The interrupt is always
// "ask, then kill() after the grace period"; what asking means differs:
// - POSIX: QProcess::terminate(), SIGTERM. A child that dies of that SIGTERM did as asked.
// - Windows: QProcess::terminate() posts WM_CLOSE to the child's windows; a console
//   program has none and ignores it, so it runs until the kill after the grace period.
namespace ProcessTermination {
// Asks process to stop.
void ask(QProcess *process);
// Returns true if a CrashExit with exitCode is the end that ask() asked for (no error).
bool isAskedEnd(int exitCode);
// The part of the crash message after "crashed ": "(signal 11)", "(exception 0xc0000005)".
QString describeCrash(int exitCode);
} // namespace ProcessTermination

#endif // RUNGROUP_PROCESSTERMINATION_P_H
