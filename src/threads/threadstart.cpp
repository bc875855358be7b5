// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "threadstart_p.h"

#include "nativethread_p.h"
#include "testseams_p.h"

#include <QtCore/QThread>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace {
// Guarded by g_mutex: the failures a test asked for (RunGroupTesting::failThreadCreations).
std::mutex g_mutex;
int g_failuresLeft = 0;
int g_failureCode = 0;

void returnAtOnce(void *) { }

// QThread::start() prints why the thread creation failed but returns nothing: asks the
// system the same question with a thread that ends at once. The only other failures the
// platforms document (EINVAL for a bad stack size; POSIX: EPERM for scheduling, which Qt
// retries without) would recur here, so a probe that succeeds means the resources ran
// short for a moment: EAGAIN, which is what pthread_create() and _beginthreadex() report
// then.
int probeThreadCreation(size_t stackSize)
{
    const int result = NativeThread::startDetached(returnAtOnce, nullptr, stackSize);
    return result == 0 ? EAGAIN : result;
}
} // namespace

int ThreadStart::injectedFailure()
{
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_failuresLeft <= 0)
        return 0;
    --g_failuresLeft;
    return g_failureCode;
}

int ThreadStart::start(QThread *thread)
{
    if (const int injected = injectedFailure())
        return injected;
    thread->start();
    // Started (even if already done): running or finished. A failed start leaves neither.
    if (thread->isRunning() || thread->isFinished())
        return 0;
    return probeThreadCreation(size_t(thread->stackSize()));
}

QString ThreadStart::errorText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

void RunGroupTesting::failThreadCreations(int count, int errorCode)
{
    std::lock_guard<std::mutex> lock(g_mutex);
    g_failuresLeft = count > 0 && errorCode != 0 ? count : 0;
    g_failureCode = errorCode;
}
