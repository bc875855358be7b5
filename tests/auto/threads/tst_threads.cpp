// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Actor threads: reuse of parked threads across runs and groups (each reused thread
// starts its next actor with a clear interruption flag and the new name), the idle limit
// and expiry, threads that must not be reused, stack sizes, and the threads and file
// descriptors of the process returning to their baseline.

#include <RunGroup/RunGroup>

#include <QtCore/QEventLoop>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <climits>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include <pthread.h>
#include <unistd.h>

#include "messagecapture.h"
#include "procstats.h"
#include "scenario.h"
#include "testseams_p.h"
#include "testsync.h"

namespace {

constexpr int kTimeout = 60000;

// What an actor saw of its thread when its execute began.
struct ThreadView
{
    pthread_t id;
    bool interruptionRequested;
    QString objectName;
    QByteArray nativeName;
    size_t stackSize;
};

class ThreadLog
{
public:
    void record()
    {
        QThread *self = QThread::currentThread();
        ThreadView view{pthread_self(), self->isInterruptionRequested(), self->objectName(), {}, 0};
        char name[16] = {};
        pthread_getname_np(pthread_self(), name, sizeof name);
        view.nativeName = name;
        pthread_attr_t attr;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            pthread_attr_getstacksize(&attr, &view.stackSize);
            pthread_attr_destroy(&attr);
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        m_views.push_back(view);
    }
    std::vector<ThreadView> views() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_views;
    }
    std::set<pthread_t> ids() const
    {
        std::set<pthread_t> result;
        for (const ThreadView &view : views())
            result.insert(view.id);
        return result;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<ThreadView> m_views;
};

// Returns once the calling actor's QThread is asked to stop (or after a bound).
void waitForInterruption()
{
    QDeadlineTimer deadline(kTimeout);
    while (!QThread::currentThread()->isInterruptionRequested() && !deadline.hasExpired())
        QThread::msleep(1);
}

// Adds n actors that record their thread; once all have, actor 0 exits and the others
// return when their QThread is asked to stop, so every thread but actor 0's ends its run
// flagged. (Without the barrier, an actor could begin after the run's interrupt.)
void addRecorders(RunGroup &group, ThreadLog &log, int n, const QString &prefix = {})
{
    auto barrier = std::make_shared<Latch>(n);
    for (int i = 0; i < n; ++i) {
        const QString name = prefix.isEmpty() ? QString() : prefix + QString::number(i);
        group.add(
            [&log, i, barrier] {
                log.record();
                barrier->arriveAndWait();
                if (i != 0)
                    waitForInterruption();
            },
            {}, nullptr, name);
    }
}

bool isSubset(const std::set<pthread_t> &subset, const std::set<pthread_t> &set)
{
    return std::includes(set.begin(), set.end(), subset.begin(), subset.end());
}

// Ends every parked thread and waits until the process is back to baseline threads. The
// limit stays 0 meanwhile: a thread still reporting its last exit parks after this call
// began, and must end then instead of waiting out its expiry.
void emptyPool(int baselineThreads)
{
    const int limit = RunGroup::idleThreadLimit();
    RunGroup::setIdleThreadLimit(0);
    const auto restore = qScopeGuard([limit] { RunGroup::setIdleThreadLimit(limit); });
    QTRY_COMPARE_WITH_TIMEOUT(processThreadCount(), baselineThreads, kTimeout);
}

} // namespace

class tst_Threads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void parkedThreadsAreReused();
    void reusedThreadStartsClean();
    void idleThreadsExpire();
    void idleLimitBoundsParkedThreads();
    void interruptedThreadsRetiredUnderAnotherQt();
    void threadWithEventDispatcherIsNotReused();
    void stackSize();
    void stackSizeBadInput();
    void stackSizeRange();
    void threadsAndFdsReturnToBaseline();
    void threadsAndFdsReturnToBaselineAfterStress();
    void interruptsDroppedWhenTheirContextDiesMidBatch();
    void groupDeletedFromItsOwnInterrupt();
    void idleSettingsBadInput();
    void idleThreadSettingsRange();

private:
    int m_baselineThreads = 0;
    int m_defaultLimit = 0;
    int m_defaultExpiry = 0;
};

void tst_Threads::initTestCase()
{
    m_defaultLimit = RunGroup::idleThreadLimit();
    m_defaultExpiry = RunGroup::idleThreadExpiry();
    QCOMPARE(m_defaultLimit, 1024);
    QCOMPARE(m_defaultExpiry, 30000);
    QCOMPARE(RunGroup::idleThreadCount(), 0);
    m_baselineThreads = processThreadCount();
}

void tst_Threads::init()
{
    emptyPool(m_baselineThreads);
}

void tst_Threads::cleanup()
{
    RunGroup::setIdleThreadLimit(m_defaultLimit);
    RunGroup::setIdleThreadExpiry(m_defaultExpiry);
    emptyPool(m_baselineThreads);
}

#ifdef RUNGROUP_NO_FLAG_RESET
#define SKIP_WITHOUT_FLAG_RESET()                                                                  \
    QSKIP("Built without Qt's private headers: interrupted threads are not reused")
#else
#define SKIP_WITHOUT_FLAG_RESET()
#endif

void tst_Threads::parkedThreadsAreReused()
{
    SKIP_WITHOUT_FLAG_RESET();
    ThreadLog first;
    ThreadLog second;
    {
        RunGroup group;
        addRecorders(group, first, 4);
        QCOMPARE(group.run(), RunError());
    }
    // Threads park before they report their exits: once run() returned, a run started
    // back to back finds all of them (no waiting here on purpose).
    QCOMPARE(RunGroup::idleThreadCount(), 4);
    QCOMPARE(processThreadCount(), m_baselineThreads + 4);
    {
        RunGroup other; // reuse is across groups, not only across runs of one group
        addRecorders(other, second, 4);
        QCOMPARE(other.run(), RunError());
    }
    QCOMPARE(first.ids().size(), size_t(4));
    // No new thread: each actor ran on a parked one (actor 0's may even have served a
    // later actor of the same run).
    QCOMPARE(second.views().size(), size_t(4));
    QVERIFY(isSubset(second.ids(), first.ids()));
    QCOMPARE(RunGroup::idleThreadCount(), 4);
    QCOMPARE(processThreadCount(), m_baselineThreads + 4);
}

void tst_Threads::reusedThreadStartsClean()
{
    SKIP_WITHOUT_FLAG_RESET();
    ThreadLog first;
    RunGroup group;
    addRecorders(group, first, 3, QStringLiteral("first-"));
    QCOMPARE(group.run(), RunError());
    QTRY_COMPARE_WITH_TIMEOUT(RunGroup::idleThreadCount(), 3, kTimeout);

    // Actors 1 and 2 ended their run with the interruption flag set; actor 0's successor
    // has no name at all, so the thread must also lose the old one.
    ThreadLog second;
    RunGroup next;
    addRecorders(next, second, 3, QStringLiteral("second-"));
    QCOMPARE(next.run(), RunError());
    const auto views = second.views();
    QCOMPARE(views.size(), size_t(3));
    QVERIFY(isSubset(second.ids(), first.ids()));
    std::set<QString> names;
    for (const ThreadView &view : views) {
        QVERIFY(!view.interruptionRequested);
        QVERIFY(view.objectName.startsWith(QStringLiteral("second-")));
        QCOMPARE(QString::fromLatin1(view.nativeName), view.objectName);
        names.insert(view.objectName);
    }
    QCOMPARE(names.size(), size_t(3));
    QTRY_COMPARE_WITH_TIMEOUT(RunGroup::idleThreadCount(), 3, kTimeout);

    ThreadLog third;
    RunGroup unnamed;
    unnamed.add([&third] { third.record(); });
    QCOMPARE(unnamed.run(), RunError());
    QCOMPARE(third.views().size(), size_t(1));
    QVERIFY(first.ids().count(third.views().front().id));
    QCOMPARE(third.views().front().objectName, QString());
    QCOMPARE(third.views().front().nativeName, QByteArray("rungroup"));
}

void tst_Threads::idleThreadsExpire()
{
    RunGroup::setIdleThreadExpiry(50);
    ThreadLog log;
    RunGroup group;
    addRecorders(group, log, 3);
    QCOMPARE(group.run(), RunError());
    QTRY_COMPARE_WITH_TIMEOUT(processThreadCount(), m_baselineThreads, kTimeout);
    QCOMPARE(RunGroup::idleThreadCount(), 0);
}

void tst_Threads::idleLimitBoundsParkedThreads()
{
    RunGroup::setIdleThreadLimit(2);
    // Six groups of one actor each, all running at once: every actor is its group's first
    // exit, so no thread ends its run flagged, and all six could park, in any build (a
    // flagged thread parks only when its flag can be cleared).
    auto barrier = std::make_shared<Latch>(6);
    std::vector<std::unique_ptr<RunGroup>> groups;
    for (int i = 0; i < 6; ++i) {
        groups.push_back(std::make_unique<RunGroup>());
        groups.back()->add([barrier] { barrier->arriveAndWait(); });
    }
    for (const auto &group : groups)
        group->start();
    for (const auto &group : groups)
        QTRY_VERIFY_WITH_TIMEOUT(group->state() == RunGroup::State::Finished, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(processThreadCount(), m_baselineThreads + 2, kTimeout);
    QCOMPARE(RunGroup::idleThreadCount(), 2);

    // Lowering the limit ends parked threads at once, not at their expiry.
    RunGroup::setIdleThreadLimit(0);
    QCOMPARE(RunGroup::idleThreadCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(processThreadCount(), m_baselineThreads, kTimeout);
}

void tst_Threads::interruptedThreadsRetiredUnderAnotherQt()
{
    // Qt's private QThread data may be laid out differently in another Qt version than the
    // one the library was built against: then the library must not write into it, and
    // retires the threads whose interruption flag it would have cleared.
    QLoggingCategory::setFilterRules(QStringLiteral("rungroup.threads.debug=true"));
    RunGroupTesting::setQtRuntimeVersion("6.0.0-not-this-one");
    const auto restore = qScopeGuard([] {
        RunGroupTesting::setQtRuntimeVersion(nullptr);
        QLoggingCategory::setFilterRules(QString());
    });
    MessageCapture capture("rungroup.threads");
    for (int run = 0; run < 2; ++run) {
        ThreadLog log;
        RunGroup group;
        addRecorders(group, log, 3);
        QCOMPARE(group.run(), RunError());
        // Only actor 0's thread ended its run unflagged; the other two end.
        QTRY_COMPARE_WITH_TIMEOUT(processThreadCount(), m_baselineThreads + 1, kTimeout);
        QCOMPARE(RunGroup::idleThreadCount(), 1);
    }
    const QStringList lines = capture.messages();
#ifdef RUNGROUP_NO_FLAG_RESET
    // Without the private headers there is nothing to check: no line.
    QCOMPARE(lines, QStringList());
#else
    // One line per process, however many threads found the mismatch.
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.front(),
             QStringLiteral("Qt 6.0.0-not-this-one at run time, built against Qt " QT_VERSION_STR
                            ": interrupted actor threads are retired, not reused"));
#endif
}

void tst_Threads::threadWithEventDispatcherIsNotReused()
{
    const int fds = processFdCount();
    RunGroup group;
    group.add([] {
        // Spinning an event loop gives the thread a dispatcher and its eventfd.
        QEventLoop loop;
        QTimer::singleShot(0, &loop, &QEventLoop::quit);
        loop.exec();
    });
    QCOMPARE(group.run(), RunError());
    QTRY_COMPARE_WITH_TIMEOUT(processThreadCount(), m_baselineThreads, kTimeout);
    QCOMPARE(RunGroup::idleThreadCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(processFdCount(), fds, kTimeout);
}

void tst_Threads::stackSize()
{
    constexpr uint small = 256 * 1024;
    ThreadLog log;
    RunGroup group;
    QCOMPARE(group.stackSize(), 0u);
    group.setStackSize(small);
    QCOMPARE(group.stackSize(), small);
    group.add([&log] { log.record(); });
    QCOMPARE(group.run(), RunError());
    QCOMPARE(log.views().size(), size_t(1));
#ifdef __SANITIZE_THREAD__
    // ThreadSanitizer's pthread_create raises small stacks to a minimum of its own.
    QVERIFY(log.views().front().stackSize >= size_t(small));
#else
    QCOMPARE(log.views().front().stackSize, size_t(small));
#endif
    QCOMPARE(RunGroup::idleThreadCount(), 1);

    // A parked small-stack thread never runs an actor that asked for the default stack.
    ThreadLog other;
    RunGroup big;
    big.add([&other] { other.record(); });
    QCOMPARE(big.run(), RunError());
    QCOMPARE(other.views().size(), size_t(1));
    QVERIFY(other.views().front().id != log.views().front().id);
    QVERIFY(other.views().front().stackSize > log.views().front().stackSize);

    // An odd size is rounded up to whole pages.
    group.setStackSize(small + 1);
    QCOMPARE(group.stackSize(), small + uint(sysconf(_SC_PAGESIZE)));
}

void tst_Threads::stackSizeBadInput()
{
    RunGroup group;
    group.setStackSize(128 * 1024);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral(
                             "RunGroup::setStackSize: 1000 bytes is below the platform minimum")));
    group.setStackSize(1000);
    QCOMPARE(group.stackSize(), 128u * 1024);

    Gate gate;
    group.add([&gate] { gate.wait(); }, [&gate] { gate.open(); });
    group.start();
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setStackSize: Cannot change the stack size while running");
    group.setStackSize(512 * 1024);
    QCOMPARE(group.stackSize(), 128u * 1024);
    group.stop();
    QSignalSpy finished(&group, &RunGroup::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);

    group.setStackSize(0); // back to the platform's default
    QCOMPARE(group.stackSize(), 0u);
}

void tst_Threads::stackSizeRange()
{
    // Any warning not announced fails the test, as in the tests of the group itself.
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    const uint page = uint(sysconf(_SC_PAGESIZE));
    const uint largest = UINT_MAX / page * page;
    RunGroup group;
    // Rounded up to whole pages.
    group.setStackSize(256 * 1024 + 1);
    QCOMPARE(group.stackSize(), 256 * 1024 + page);
    // The largest whole number of pages a uint holds is taken as it is.
    group.setStackSize(largest);
    QCOMPARE(group.stackSize(), largest);
    group.setStackSize(largest - page + 1);
    QCOMPARE(group.stackSize(), largest);
    // Above it, rounding up would not fit: UINT_MAX used to wrap around to 0, the default.
    for (const uint bytes : {largest + 1, UINT_MAX}) {
        const QByteArray warning = "RunGroup::setStackSize: " + QByteArray::number(bytes)
                                   + " bytes is above the largest stack size of "
                                   + QByteArray::number(largest) + " bytes";
        QTest::ignoreMessage(QtWarningMsg, warning.constData());
        group.setStackSize(bytes);
        QCOMPARE(group.stackSize(), largest);
    }
}

void tst_Threads::threadsAndFdsReturnToBaseline()
{
    const int fds = processFdCount();
    for (int run = 0; run < 20; ++run) {
        ThreadLog log;
        RunGroup group;
        addRecorders(group, log, 1 + run % 7);
        group.addSignalHandler({SIGUSR2});
        QCOMPARE(group.run(), RunError());
    }
    QVERIFY(RunGroup::idleThreadCount() <= 7);
    QCOMPARE(processFdCount(), fds);
    emptyPool(m_baselineThreads);
    QCOMPARE(processFdCount(), fds);
}

void tst_Threads::threadsAndFdsReturnToBaselineAfterStress()
{
    // Many runs of every kind (tests/stress scenarios: timeouts leaving threads behind,
    // signal handlers with their pipes, object actors, groups destroyed mid-run): once
    // the pool is emptied, the process holds what it held before.
    ScenarioEnvironment environment; // its worker thread and eventfd are the baseline's
    const int threads = processThreadCount();
    // /dev/null is left out: the sanitizer runtimes open it on their own now and then;
    // RunGroup never does.
    const auto ownFds = [] {
        QStringList targets = processFdTargets();
        targets.removeIf([](const QString &t) { return t.endsWith(QLatin1String("/dev/null")); });
        return int(targets.size());
    };
    const int fds = ownFds();
    ScenarioStats stats;
    ScenarioOptions options;
    options.maxDelayUs = 500;
    for (quint64 seed = 1; seed <= 150; ++seed) {
        SeededChooser chooser(seed);
        const QStringList violations = runScenario(chooser, environment, options, &stats);
        QVERIFY2(violations.isEmpty(),
                 qPrintable(QStringLiteral("seed %1: ").arg(seed) + violations.join(u'\n')));
    }
    qInfo("%s", qPrintable(stats.summary()));
    QVERIFY(stats.timedOutRuns > 0);
    QVERIFY(stats.signalActors > 0);
    const int limit = RunGroup::idleThreadLimit();
    RunGroup::setIdleThreadLimit(0);
    const auto restore = qScopeGuard([limit] { RunGroup::setIdleThreadLimit(limit); });
    QTRY_COMPARE_WITH_TIMEOUT(processThreadCount(), threads, kTimeout);
    QTRY_VERIFY2_WITH_TIMEOUT(ownFds() == fds,
                              qPrintable(QStringLiteral("%1 fds before, now:\n").arg(fds)
                                         + processFdTargets().join(u'\n')),
                              kTimeout);
}

void tst_Threads::interruptsDroppedWhenTheirContextDiesMidBatch()
{
    // Interrupts bound for one object go out together; one of them destroying that object
    // drops the rest, exactly as Qt drops queued calls to a destroyed object.
    auto *context = new QObject;
    QPointer<QObject> guard(context);
    std::vector<int> called;
    RunGroup group;
    group.add([] {});
    group.add(
        waitForInterruption,
        [&] {
            called.push_back(1);
            delete context;
        },
        context);
    group.add(
        waitForInterruption, [&] { called.push_back(2); }, context);
    group.add(waitForInterruption, [&] { called.push_back(3); });
    QCOMPARE(group.run(), RunError());
    QVERIFY(!guard);
    QCOMPARE(called, (std::vector<int>{1, 3}));
}

void tst_Threads::groupDeletedFromItsOwnInterrupt()
{
    // ~RunGroup waits for every interrupt to settle: not for the one it is called from.
    auto *group = new RunGroup;
    QPointer<RunGroup> guard(group);
    std::vector<int> called;
    group->add([] {});
    group->add(waitForInterruption, [&] {
        called.push_back(1);
        delete group;
    });
    group->add(waitForInterruption, [&] { called.push_back(2); });
    QSignalSpy finished(group, &RunGroup::finished);
    group->start();
    QTRY_VERIFY_WITH_TIMEOUT(!guard, kTimeout);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(called, std::vector<int>{1});
}

void tst_Threads::idleSettingsBadInput()
{
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setIdleThreadLimit: The limit must not be negative");
    RunGroup::setIdleThreadLimit(-1);
    QCOMPARE(RunGroup::idleThreadLimit(), m_defaultLimit);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setIdleThreadExpiry: The expiry must not be negative");
    RunGroup::setIdleThreadExpiry(-5);
    QCOMPARE(RunGroup::idleThreadExpiry(), m_defaultExpiry);
}

void tst_Threads::idleThreadSettingsRange()
{
    // Any warning not announced fails the test, as in the tests of the group itself.
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    // Any int from 0 up works: a parked thread waits up to INT_MAX ms (no overflow in the
    // wait's deadline) and is reused.
    const int limit = RunGroup::idleThreadLimit();
    const int expiry = RunGroup::idleThreadExpiry();
    const auto restore = qScopeGuard([limit, expiry] {
        RunGroup::setIdleThreadLimit(limit);
        RunGroup::setIdleThreadExpiry(expiry);
    });
    RunGroup::setIdleThreadLimit(INT_MAX);
    QCOMPARE(RunGroup::idleThreadLimit(), INT_MAX);
    RunGroup::setIdleThreadExpiry(INT_MAX);
    QCOMPARE(RunGroup::idleThreadExpiry(), INT_MAX);
    for (int run = 0; run < 2; ++run) {
        RunGroup group;
        group.add([] {});
        QCOMPARE(group.run(), RunError());
        QTRY_VERIFY_WITH_TIMEOUT(RunGroup::idleThreadCount() >= 1, kTimeout);
    }
    RunGroup::setIdleThreadExpiry(0);
    QCOMPARE(RunGroup::idleThreadExpiry(), 0);
    RunGroup::setIdleThreadLimit(0);
    QCOMPARE(RunGroup::idleThreadLimit(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(RunGroup::idleThreadCount(), 0, kTimeout);
}

QTEST_GUILESS_MAIN(tst_Threads)
#include "tst_threads.moc"
