// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "threadstart_p.h"

#include "testseams_p.h"

#include <QtCore/QThread>

#include <cerrno>
#include <cstring>
#include <mutex>

#include <pthread.h>

namespace {
// Guarded by g_mutex: the failures a test asked for (RunGroupTesting::failThreadCreations).
std::mutex g_mutex;
int g_failuresLeft = 0;
int g_failureCode = 0;

extern "C" void *returnAtOnce(void *)
{
    return nullptr;
}

// QThread::start() prints why pthread_create() failed but returns nothing: asks the system
// the same question with a thread that ends at once. The only other failures the platform
// documents (EINVAL for a bad stack size, EPERM for scheduling, which Qt retries without)
// would recur here, so a probe that succeeds means the resources ran short for a moment:
// EAGAIN, which is what pthread_create() reports then.
int probeThreadCreation(size_t stackSize)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int result = stackSize > 0 ? pthread_attr_setstacksize(&attr, stackSize) : 0;
    pthread_t id;
    if (result == 0)
        result = pthread_create(&id, &attr, returnAtOnce, nullptr);
    pthread_attr_destroy(&attr);
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
