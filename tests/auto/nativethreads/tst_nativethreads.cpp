// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The actor thread pool on the platform's own threads (src/threads/nativethread_*.cpp),
// through the public API only, so it runs on every platform: threads are reused across
// runs and groups, parked threads hold no handle (Windows) and end when told, and a
// stack size reaches the thread. tst_threads checks more on POSIX (pthread attributes,
// /proc).

#include <RunGroup/ActorThreads>
#include <RunGroup/RunGroup>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <memory>
#include <mutex>
#include <set>

#ifdef Q_OS_WIN
#include <qt_windows.h>
#endif

#include "rungrouptest.h"

namespace {
// Runs count actors that record their thread and return at once, in one group.
std::set<Qt::HANDLE> runOnce(int count)
{
    auto mutex = std::make_shared<std::mutex>();
    auto ids = std::make_shared<std::set<Qt::HANDLE>>();
    auto gate = std::make_shared<QAtomicInt>(0);
    RunGroup group;
    for (int i = 0; i < count; ++i) {
        group.add([mutex, ids, gate, count] {
            {
                std::lock_guard<std::mutex> lock(*mutex);
                ids->insert(QThread::currentThreadId());
            }
            // All of them at once, so each needs its own thread.
            gate->fetchAndAddOrdered(1);
            QDeadlineTimer deadline(kTimeout);
            while (gate->loadAcquire() < count && !deadline.hasExpired())
                QThread::yieldCurrentThread();
        });
    }
    runToEnd(group);
    return *ids;
}

#ifdef Q_OS_WIN
int handleCount()
{
    DWORD count = 0;
    GetProcessHandleCount(GetCurrentProcess(), &count);
    return int(count);
}
#endif
} // namespace

class tst_NativeThreads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void threadsReusedAcrossRuns();
    void idleLimitEndsParkedThreads();
    void parkedThreadsHoldNoHandle();
    void stackSizeReachesThread();
};

void tst_NativeThreads::init()
{
    ActorThreads::setIdleLimit(1024);
    ActorThreads::setIdleExpiry(30000);
}

void tst_NativeThreads::cleanup()
{
    ActorThreads::setIdleLimit(1024);
}

void tst_NativeThreads::threadsReusedAcrossRuns()
{
    // Actors that returned by themselves leave clean threads: the next run's actors, of
    // another group, run on the same ones.
    const std::set<Qt::HANDLE> first = runOnce(4);
    QCOMPARE(first.size(), size_t(4));
    QTRY_VERIFY_WITH_TIMEOUT(ActorThreads::idleCount() >= 4, kTimeout);
    const std::set<Qt::HANDLE> second = runOnce(4);
    QCOMPARE(second, first);
}

void tst_NativeThreads::idleLimitEndsParkedThreads()
{
    runOnce(4);
    QTRY_VERIFY_WITH_TIMEOUT(ActorThreads::idleCount() >= 4, kTimeout);
    ActorThreads::setIdleLimit(0);
    QCOMPARE(ActorThreads::idleCount(), 0);
    // New threads again, and none parks.
    QCOMPARE(runOnce(2).size(), size_t(2));
    QTRY_COMPARE_WITH_TIMEOUT(ActorThreads::idleCount(), 0, kTimeout);
}

void tst_NativeThreads::parkedThreadsHoldNoHandle()
{
#ifdef Q_OS_WIN
    // 50 runs of 8 actors with no parking (a new thread each time) and 50 with parking:
    // the process's handle count comes back to where it was, give or take what the system
    // and Qt keep for themselves (Qt holds a handle to an adopted thread until it ends).
    ActorThreads::setIdleLimit(0);
    runOnce(8);
    QTest::qWait(200); // ended threads: their handles go once they are gone
    const int before = handleCount();
    for (int i = 0; i < 50; ++i)
        runOnce(8);
    ActorThreads::setIdleLimit(1024);
    for (int i = 0; i < 50; ++i)
        runOnce(8);
    ActorThreads::setIdleLimit(0);
    QTRY_VERIFY2_WITH_TIMEOUT(
        handleCount() <= before + 16,
        qPrintable(QStringLiteral("handles: %1 before, %2 after").arg(before).arg(handleCount())),
        kTimeout);
#else
    QSKIP("Windows handles; on POSIX, tst_threads counts threads and descriptors in /proc");
#endif
}

void tst_NativeThreads::stackSizeReachesThread()
{
    // A small stack still runs an actor (the platform's minimum is accepted).
    RunGroup group;
    group.setStackSize(256 * 1024);
    QCOMPARE(group.stackSize(), 256u * 1024);
    bool ran = false;
    group.add([&ran] {
        char buffer[64 * 1024];
        buffer[0] = 1;
        buffer[sizeof buffer - 1] = 1;
        ran = buffer[0] == buffer[sizeof buffer - 1];
    });
    QCOMPARE(runToEnd(group), RunError());
    QVERIFY(ran);
}

QTEST_GUILESS_MAIN(tst_NativeThreads)
#include "tst_nativethreads.moc"
