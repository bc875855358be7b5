// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_NATIVETHREAD_P_H
#define RUNGROUP_NATIVETHREAD_P_H

#include <QtCore/QString>

#include <cstddef>

// The operating system's threads, the one place that creates and names them: POSIX
// threads in nativethread_posix.cpp (Linux, macOS), Win32 threads in nativethread_win.cpp
// (src/CMakeLists.txt picks one). Thread-safe.
namespace NativeThread {
using Entry = void (*)(void *arg);

// Starts an OS thread running entry(arg) that nobody joins: it frees what the system
// keeps for it when it ends (POSIX: detached; Windows: its handle is closed at once, so a
// pool of parked threads holds no handle). stackSize 0 is the platform's default.
// Returns 0, or the errno value of the failure (EAGAIN when the system is short of
// threads or memory, EINVAL for a stack size it refuses).
int startDetached(Entry entry, void *arg, size_t stackSize);

// Names the calling thread for debuggers and process viewers (Linux: 15 bytes, macOS:
// 63, Windows: SetThreadDescription where the system has it). Empty names it "rungroup".
// A thread renamed to the name it has already costs nothing.
void setCurrentName(const QString &name);

// The smallest stack size startDetached() takes, and the unit stack sizes are rounded
// up to (the page size).
size_t minimumStackSize();
size_t stackSizeUnit();
} // namespace NativeThread

#endif // RUNGROUP_NATIVETHREAD_P_H
