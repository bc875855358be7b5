// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_THREADSTART_P_H
#define RUNGROUP_THREADSTART_P_H

#include <QtCore/QString>

class QThread;

// Every thread the library creates goes through here: the actor pool's threads
// (pthread_create) and addWorkerThread()'s QThreads. A creation that fails is reported as
// an errno value, never left hanging. Thread-safe.
namespace ThreadStart {
// Returns the errno a test asked this thread creation to fail with (see
// RunGroupTesting::failThreadCreations in testseams_p.h), using up one of the asked failures, or 0.
int injectedFailure();
// Starts thread with QThread::start(). Returns 0, or the errno that kept it from starting:
// QThread::start() then only prints a warning, and the thread is neither running nor
// finished, and never emits finished().
int start(QThread *thread);
// Returns the text of errno value error, for messages.
QString errorText(int error);
} // namespace ThreadStart

#endif // RUNGROUP_THREADSTART_P_H
