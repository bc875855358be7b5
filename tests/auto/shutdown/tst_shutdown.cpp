// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Shutdown: the shutdown timeout, and ~RunGroup() while actors run or interrupts are
// pending.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <future>
#include <memory>
#include <thread>

#include "emitter.h"
#include "grouplog.h"
#include "interruptlog.h"
#include "messagecapture.h"
#include "ownsignalhandler.h"
#include "rungrouptest.h"
#include "rungrouptestcase.h"
#include "sparesignal.h"
#include "testsync.h"
#include "workerthread.h"

using namespace std::chrono_literals;

class tst_Shutdown : public RunGroupTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void shutdownTimeout_data();
    void shutdownTimeout();
    void destroyWhileRunning();
    void destroyWhileRunningWithObjectActor();
    void destroyWhileOnlyInterruptsPending();
    void shutdownTimeoutWaitsForInterrupts();
    void correctRunThenDestroyPrintsNothing();
};

void tst_Shutdown::shutdownTimeout_data()
{
    QTest::addColumn<bool>("destroyFirst");
    QTest::addRow("stuck actor returns, then the group is destroyed") << false;
    QTest::addRow("group destroyed, then the stuck actor returns") << true;
}

// An actor stuck past the shutdown timeout exits with Kind::Timeout; its thread is left to
// end on its own and nothing it touches later crashes, even if the group is gone.
void tst_Shutdown::shutdownTimeout()
{
    QFETCH(bool, destroyFirst);
    struct Stuck
    {
        Gate release;
        std::promise<void> done;
        std::atomic<bool> returned{false};
        std::atomic<int> returnedAtFinished{-1};
        std::atomic<bool> threadFinished{false};
    };
    auto stuck = std::make_shared<Stuck>();
    std::future<void> done = stuck->done.get_future();
    auto gate = std::make_shared<Gate>();
    auto cleanup = qScopeGuard([&] {
        gate->open();
        stuck->release.open();
        done.wait_for(std::chrono::milliseconds(kTimeout));
    });
    std::unique_ptr<GroupLog> events;
    auto group = std::make_unique<RunGroup>();
    // Generous, so that the actor that does respond never times out on a loaded machine.
    group->setShutdownTimeout(1500);
    QCOMPARE(group->add([stuck] {
        // Notices the end of this thread (a Qt connection on the thread's own QThread
        // object would keep an adopted thread's data alive).
        struct ThreadEnd
        {
            std::shared_ptr<Stuck> stuck;
            ~ThreadEnd()
            {
                if (stuck)
                    stuck->threadFinished = true;
            }
        };
        static thread_local ThreadEnd threadEnd;
        threadEnd.stuck = stuck;
        // Ignores its interrupt; outlives the watchdog if the group waits for it.
        stuck->release.wait(2 * kTimeout);
        stuck->returned = true;
        stuck->done.set_value();
        return failure("late");
    }),
             0);
    QCOMPARE(group->add(waitFor(gate), opener(gate)), 1);
    QCOMPARE(group->add([] { return failure("first"); }), 2);
    events = std::make_unique<GroupLog>(group.get());
    QObject::connect(group.get(), &RunGroup::finished,
                     [stuck] { stuck->returnedAtFinished = stuck->returned ? 1 : 0; });

    group->start();
    QTRY_COMPARE_WITH_TIMEOUT(events->count(GroupLog::Finished), 1, kTimeout);
    // finished came at the timeout, not once the stuck actor gave up on its own.
    QCOMPARE(stuck->returnedAtFinished.load(), 0);
    QCOMPARE(events->finishedError(), failure("first"));
    QCOMPARE(events->exitError(0).kind(), RunError::Kind::Timeout);
    QCOMPARE(events->exitError(1), RunError());
    QCOMPARE(group->errors().at(0).kind(), RunError::Kind::Timeout);
    QCOMPARE(group->error(), failure("first"));
    QCOMPARE(group->state(), RunGroup::State::Finished);
    QVERIFY(!group->isRunning());
    QString problem = events->checkRun(3);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(!stuck->release.isOpen());

    if (!destroyFirst) {
        stuck->release.open();
        QCOMPARE(done.wait_for(std::chrono::milliseconds(kTimeout)), std::future_status::ready);
        // Not synchronisation: an observation window in which a late exit must change nothing.
        QTest::qWait(50);
        problem = events->checkRun(3);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(group->errors().at(0).kind(), RunError::Kind::Timeout);
        QCOMPARE(group->error(), failure("first"));
        QCOMPARE(group->state(), RunGroup::State::Finished);
    }
    events.reset();
    {
        Watchdog watchdog("~RunGroup() after a shutdown timeout");
        group.reset();
    }
    if (destroyFirst) {
        stuck->release.open();
        QCOMPARE(done.wait_for(std::chrono::milliseconds(kTimeout)), std::future_status::ready);
        // Left to end on its own: the thread finishes (and must not crash doing so).
        QTRY_VERIFY_WITH_TIMEOUT(stuck->threadFinished.load(), kTimeout);
    }
}

// ~RunGroup() of a running group stops and joins: every execute has returned, and
// nothing is printed.
void tst_Shutdown::destroyWhileRunning()
{
    constexpr int kActors = 3;
    struct Shared
    {
        std::array<Gate, kActors> gates;
        std::array<std::atomic<bool>, kActors> started{};
        std::array<std::atomic<bool>, kActors> returned{};
        InterruptLog log;
    };
    auto shared = std::make_shared<Shared>();
    MessageCapture capture;
    auto group = std::make_unique<RunGroup>();
    auto release = qScopeGuard([&] {
        for (Gate &gate : shared->gates)
            gate.open();
    });
    for (int i = 0; i < kActors; ++i) {
        auto execute = [shared, i] {
            shared->started[i] = true;
            RunError result;
            if (i == 2)
                result = pollInterruption();
            else if (!shared->gates[i].wait())
                result = failure("the gate was never opened");
            std::this_thread::sleep_for(10ms);
            shared->returned[i] = true;
            return result;
        };
        if (i == 2) {
            QCOMPARE(group->add(execute), i);
        } else {
            QCOMPARE(group->add(execute,
                                [shared, i](const RunError &error) {
                                    shared->log.record(i, error);
                                    shared->gates[i].open();
                                }),
                     i);
        }
    }

    group->start();
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(shared->started.begin(), shared->started.end(),
                                         [](const auto &s) { return s.load(); }),
                             kTimeout);
    {
        Watchdog watchdog("~RunGroup() while running");
        group.reset();
    }
    for (int i = 0; i < kActors; ++i)
        QVERIFY2(shared->returned[i].load(), qPrintable(QString::number(i)));
    QCOMPARE(shared->log.order(), QList<int>({0, 1}));
    for (const auto &call : shared->log.calls())
        QCOMPARE(call.error, RunError::canceled());
    QVERIFY2(capture.messages().isEmpty(), qPrintable(capture.messages().join(u'\n')));
}

void tst_Shutdown::destroyWhileRunningWithObjectActor()
{
    auto log = std::make_shared<InterruptLog>();
    auto gate = std::make_shared<Gate>();
    auto returned = std::make_shared<std::atomic<bool>>(false);
    MessageCapture capture;
    Emitter emitter;
    std::unique_ptr<GroupLog> events;
    auto group = std::make_unique<RunGroup>();
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group->addObject(&emitter, &Emitter::exitPlain, recordInto(log, 0)), 0);
    QCOMPARE(group->add(
                 [gate, returned] {
                     const bool opened = gate->wait();
                     *returned = true;
                     return opened ? RunError() : failure("the gate was never opened");
                 },
                 recordAndOpen(log, 1, gate)),
             1);
    events = std::make_unique<GroupLog>(group.get());

    group->start();
    QCoreApplication::processEvents();
    {
        Watchdog watchdog("~RunGroup() with an object actor that never exits");
        group.reset();
    }
    QVERIFY(returned->load());
    QCOMPARE(events->exitError(0), RunError::canceled());
    QCOMPARE(events->exitError(1), RunError());
    QCOMPARE(log->order(), QList<int>({0, 1}));
    for (const auto &call : log->calls())
        QCOMPARE(call.error, RunError::canceled());
    QVERIFY2(capture.messages().isEmpty(), qPrintable(capture.messages().join(u'\n')));
}

// ~RunGroup() never waits on the loop it blocks: an object actor that never emits exits
// canceled there.
// Regression: every actor has exited and only the queued interrupt (then its wake-up) is
// left; the destructor used to spin forever without processing that wake-up.
void tst_Shutdown::destroyWhileOnlyInterruptsPending()
{
    auto interrupts = std::make_shared<std::atomic<int>>(0);
    auto *group = new RunGroup;
    QCOMPARE(group->add([] { return failure("done"); }, [interrupts] { ++*interrupts; }), 0);
    QSignalSpy exited(group, &RunGroup::actorExited);
    QSignalSpy finished(group, &RunGroup::finished);
    group->start();
    QVERIFY(exited.wait(kTimeout));
    QCOMPARE(group->state(), RunGroup::State::Interrupting);
    delete group; // returns once the interrupt ran
    QCOMPARE(interrupts->load(), 1);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).value<RunError>(), failure("done"));
}

// Every actor exited and an interrupt blocks past the shutdown timeout: the timeout is for
// actors, so finished() still comes after that interrupt returned, with the first exit's
// error (the schedule fuzzer found finished() coming first).
void tst_Shutdown::shutdownTimeoutWaitsForInterrupts()
{
    WorkerThread worker(QStringLiteral("contexts"));
    QObject *context = worker.create<QObject>();
    auto interruptReturned = std::make_shared<std::atomic<bool>>(false);
    RunGroup group;
    group.setShutdownTimeout(20);
    // Exits first; its interrupt blocks on the worker thread for longer than the timeout.
    QCOMPARE(group.add([] { return failure("done"); },
                       [interruptReturned] {
                           QThread::msleep(300);
                           *interruptReturned = true;
                       },
                       context),
             0);
    // Still running when the shutdown begins (so the timeout is armed); exits at once when
    // interrupted.
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 1);
    bool returnedAtFinish = false;
    connect(&group, &RunGroup::finished, this,
            [&] { returnedAtFinish = interruptReturned->load(); });
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    QVERIFY(finished.wait(kTimeout));
    QVERIFY(returnedAtFinish);
    QCOMPARE(finished.at(0).at(0).value<RunError>(), failure("done"));
    QCOMPARE(group.errors(), (QList<RunError>{failure("done"), RunError()}));
}

// A correct run followed by destroying the group prints nothing at all.
void tst_Shutdown::correctRunThenDestroyPrintsNothing()
{
    OwnSignalHandler own(kSpareSignal);
    MessageCapture capture;
    {
        // Never started.
        RunGroup idle;
        idle.add([] {});
    }
    {
        // Runs twice: the blocking actor waits on a semaphore, not on a one-shot gate.
        auto interrupted = std::make_shared<Semaphore>();
        Emitter emitter;
        RunGroup group;
        auto release = qScopeGuard([&] { interrupted->release(100); });
        group.add([] { return failure("done"); }, {}, nullptr, QStringLiteral("worker"));
        group.add([interrupted] { return interrupted->acquire() ? RunError() : failure("x"); },
                  [interrupted] { interrupted->release(); });
        group.add(&pollInterruption);
        group.addObject(&emitter, &Emitter::exitPlain, &Emitter::interruptPlain);
        group.addSignalHandler({kSpareSignal});
        QCOMPARE(group.run(), failure("done"));
        QCOMPARE(group.run(), failure("done"));
    }
    {
        RunGroup empty;
        QCOMPARE(empty.run(), RunError());
    }
    QVERIFY2(capture.messages().isEmpty(), qPrintable(capture.messages().join(u'\n')));
}

QTEST_GUILESS_MAIN(tst_Shutdown)
#include "tst_shutdown.moc"
