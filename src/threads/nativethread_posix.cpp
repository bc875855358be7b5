// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// POSIX threads (Linux, macOS): see nativethread_p.h.

#include "nativethread_p.h"

#include <QtCore/QByteArray>

#include <climits>
#include <cstring>

#include <pthread.h>
#include <unistd.h>

namespace {
struct Start
{
    NativeThread::Entry entry;
    void *arg;
};

extern "C" void *threadMain(void *start)
{
    const Start s = *static_cast<Start *>(start);
    delete static_cast<Start *>(start);
    s.entry(s.arg);
    return nullptr;
}
} // namespace

int NativeThread::startDetached(Entry entry, void *arg, size_t stackSize)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int result = stackSize > 0 ? pthread_attr_setstacksize(&attr, stackSize) : 0;
    if (result == 0) {
        auto *start = new Start{entry, arg};
        pthread_t id;
        result = pthread_create(&id, &attr, threadMain, start);
        if (result != 0)
            delete start;
    }
    pthread_attr_destroy(&attr);
    return result;
}

void NativeThread::setCurrentName(const QString &name)
{
#if defined(Q_OS_LINUX) || defined(Q_OS_DARWIN)
    // Linux keeps 15 bytes, macOS 63. A reused thread renames itself only when its new
    // actor's name differs from the last one's.
#ifdef Q_OS_LINUX
    constexpr int kLength = 15;
#else
    constexpr int kLength = 63;
#endif
    thread_local char current[kLength + 1] = {};
    const QByteArray wanted =
        name.isEmpty() ? QByteArrayLiteral("rungroup") : name.toLocal8Bit().left(kLength);
    if (std::strcmp(current, wanted.constData()) == 0)
        return;
    std::strcpy(current, wanted.constData());
#ifdef Q_OS_LINUX
    pthread_setname_np(pthread_self(), current);
#else
    pthread_setname_np(current); // macOS names the calling thread only
#endif
#else
    Q_UNUSED(name);
#endif
}

size_t NativeThread::minimumStackSize()
{
    return size_t(PTHREAD_STACK_MIN);
}

size_t NativeThread::stackSizeUnit()
{
    // pthread_attr_setstacksize() wants whole pages on some systems (macOS).
    return size_t(sysconf(_SC_PAGESIZE));
}
