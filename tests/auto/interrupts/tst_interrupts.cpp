// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Interrupts: the thread they run on, their order and count, requestInterruption(), a
// context destroyed before its interrupt, and an interrupt that throws.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "grouplog.h"
#include "interruptlog.h"
#include "rungrouptest.h"
#include "rungrouptestcase.h"
#include "testsync.h"
#include "workerthread.h"

using namespace std::chrono_literals;

class tst_Interrupts : public RunGroupTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void interruptThread_data();
    void interruptThread();
    void interruptIsQueued();
    void interruptsOncePerActorInAddOrder();
    void actorInterruptedOncePerActor();
    void requestInterruption();
    void interruptionRequestedBeforeExecuteBegins();
    void contextDestroyedBeforeInterrupt_data();
    void contextDestroyedBeforeInterrupt();
    void throwingInterrupt_data();
    void throwingInterrupt();
};

void tst_Interrupts::interruptThread_data()
{
    QTest::addColumn<int>("contextKind");
    QTest::addRow("null context: the group's thread") << 0;
    QTest::addRow("context on the group's thread") << 1;
    QTest::addRow("context on a worker thread") << 2;
}

// interrupt runs on its context's thread; a null context means the group's thread.
void tst_Interrupts::interruptThread()
{
    QFETCH(int, contextKind);
    WorkerThread worker(QStringLiteral("contextThread"));
    QObject localContext;
    QObject *context = nullptr;
    QThread *expectedThread = QThread::currentThread();
    if (contextKind == 1) {
        context = &localContext;
    } else if (contextKind == 2) {
        context = worker.create<QObject>();
        expectedThread = worker.thread();
    }

    auto log = std::make_shared<InterruptLog>();
    auto gate = std::make_shared<Gate>();
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group.add(waitFor(gate), recordAndOpen(log, 0, gate), context), 0);
    QCOMPARE(group.add([] { return failure("first"); }), 1);

    QCOMPARE(group.run(), failure("first"));
    QTRY_COMPARE_WITH_TIMEOUT(log->count(), 1, kTimeout);
    QCOMPARE(log->calls().front().error, failure("first"));
    QCOMPARE(log->calls().front().thread, expectedThread);
    QCOMPARE(group.errors().at(0), RunError());
}

// The interrupt is a queued invocation, even on the group's own thread.
void tst_Interrupts::interruptIsQueued()
{
    auto log = std::make_shared<InterruptLog>();
    auto gate = std::make_shared<Gate>();
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group.add(waitFor(gate), recordAndOpen(log, 0, gate)), 0);
    QSignalSpy finished(&group, &RunGroup::finished);

    group.start();
    group.stop(failure("stop"));
    QCOMPARE(log->count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(log->count(), 1);
    QCOMPARE(log->calls().front().error, failure("stop"));
}

// Every interrupt runs once, in add order, with the first error: also the one of the
// actor that exited first, and of actors whose execute had already returned.
// actorInterrupted(i) is emitted once per actor per run, on the group's thread, in add
// order, also for an actor without an interrupt and for the one that exited first; an
// actor waiting for its dependents is announced only once they have exited.
void tst_Interrupts::actorInterruptedOncePerActor()
{
    RunGroup group;
    QObject context;
    auto stopper = group.addObject(&context, &QObject::objectNameChanged, [] {});
    const int worker = group.add([] {
        while (!QThread::currentThread()->isInterruptionRequested())
            QThread::msleep(1);
    });
    const int dependent = group.add([] {
        while (!QThread::currentThread()->isInterruptionRequested())
            QThread::msleep(1);
    });
    QVERIFY(group.setDependencies(dependent, {worker}));
    QList<int> order;
    QList<int> exitedWhenWorkerInterrupted;
    QList<int> exited;
    connect(&group, &RunGroup::actorExited, this, [&](int index) { exited.append(index); });
    connect(&group, &RunGroup::actorInterrupted, this, [&](int index) {
        QCOMPARE(QThread::currentThread(), group.thread());
        order.append(index);
        if (index == worker)
            exitedWhenWorkerInterrupted = exited;
    });
    for (int run = 1; run <= 2; ++run) {
        order.clear();
        exited.clear();
        group.start();
        context.setObjectName(QStringLiteral("run %1").arg(run)); // the first exit
        QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
        QCOMPARE(order, (QList<int>{stopper, dependent, worker}));
        QVERIFY(exitedWhenWorkerInterrupted.contains(dependent));
    }
}

void tst_Interrupts::interruptsOncePerActorInAddOrder()
{
    constexpr int kActors = 5;
    constexpr int kFirst = 2;
    constexpr int kReturnsEarly = 3;
    struct Shared
    {
        std::array<Gate, kActors> gates;
        std::array<std::atomic<bool>, kActors> returned{};
        std::array<std::atomic<int>, kActors> returnedWhenInterrupted{};
        InterruptLog log;
    };
    auto shared = std::make_shared<Shared>();
    QObject mainContext;

    RunGroup group;
    auto release = qScopeGuard([&] {
        for (Gate &gate : shared->gates)
            gate.open();
    });
    for (int i = 0; i < kActors; ++i) {
        auto execute = [shared, i] {
            RunError result;
            if (i == kFirst)
                result = failure("first");
            else if (!shared->gates[i].wait())
                result = failure("the gate was never opened");
            shared->returned[i] = true;
            return result;
        };
        auto interrupt = [shared, i](const RunError &error) {
            shared->log.record(i, error);
            shared->returnedWhenInterrupted[i] = shared->returned[i] ? 1 : 0;
            shared->gates[i].open();
            if (i == 0) {
                // Let actor 3 return on its own before its interrupt is delivered.
                shared->gates[kReturnsEarly].open();
                QDeadlineTimer deadline(kTimeout);
                while (!shared->returned[kReturnsEarly] && !deadline.hasExpired())
                    std::this_thread::sleep_for(1ms);
            }
        };
        QObject *context = i % 2 ? &mainContext : nullptr;
        QCOMPARE(group.add(execute, interrupt, context), i);
    }
    GroupLog events(&group);

    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    const QString problem = events.checkRun(kActors);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(events.exits().front().index, kFirst);
    QCOMPARE(events.finishedError(), failure("first"));

    QTRY_COMPARE_WITH_TIMEOUT(shared->log.count(), kActors, kTimeout);
    QCoreApplication::processEvents();
    QCOMPARE(shared->log.order(), QList<int>({0, 1, 2, 3, 4}));
    for (const auto &call : shared->log.calls())
        QCOMPARE(call.error, failure("first"));
    QCOMPARE(shared->returnedWhenInterrupted[kFirst].load(), 1);
    QCOMPARE(shared->returnedWhenInterrupted[kReturnsEarly].load(), 1);
    for (int i = 0; i < kActors; ++i)
        QCOMPARE(group.errors().at(i), i == kFirst ? failure("first") : RunError());
}

// Interrupting an actor calls requestInterruption() on its thread.
void tst_Interrupts::requestInterruption()
{
    auto sawRequestedAtStart = std::make_shared<std::atomic<int>>(0);
    auto begun = std::make_shared<std::atomic<int>>(0);
    auto gate = std::make_shared<Gate>();
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    const auto poller = [sawRequestedAtStart, begun] {
        if (QThread::currentThread()->isInterruptionRequested())
            ++*sawRequestedAtStart;
        ++*begun;
        return pollInterruption();
    };
    QCOMPARE(group.add(poller), 0);
    QCOMPARE(group.add(poller, [] {}), 1);
    QCOMPARE(group.add(waitFor(gate, failure("first"))), 2);
    QSignalSpy finished(&group, &RunGroup::finished);

    group.start();
    // The run ends only once both pollers run: one that began after the interrupt would
    // rightly see the flag already set (a loaded machine may start a thread that late).
    QTRY_COMPARE_WITH_TIMEOUT(begun->load(), 2, kTimeout);
    gate->open();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(errorAt(finished, 0, 0), failure("first"));
    QCOMPARE(group.errors().at(0), RunError());
    QCOMPARE(group.errors().at(1), RunError());
    QCOMPARE(sawRequestedAtStart->load(), 0);
}

// An actor whose thread gets to execute only after its interrupt went out finds the flag
// already set (each job keeps the request until its thread starts): every poller exits
// through the flag, none waits for a request that came before it looked. Many pollers, and
// the first exit comes at once, so on 2 cores some of them begin late; how many did is
// printed.
void tst_Interrupts::interruptionRequestedBeforeExecuteBegins()
{
    constexpr int kPollers = 256;
    auto sawRequestedAtStart = std::make_shared<std::atomic<int>>(0);
    int late = 0;
    for (int round = 0; round < 3; ++round) {
        RunGroup group;
        group.add([] { return failure("first"); });
        for (int i = 0; i < kPollers; ++i) {
            group.add([sawRequestedAtStart] {
                if (QThread::currentThread()->isInterruptionRequested())
                    ++*sawRequestedAtStart;
                return pollInterruption();
            });
        }
        QCOMPARE(group.run(), failure("first"));
        for (int i = 1; i <= kPollers; ++i)
            QCOMPARE(group.errors().at(i), RunError());
        late = sawRequestedAtStart->load();
    }
    qInfo("%d of %d pollers began after their interrupt", late, 3 * kPollers);
}

void tst_Interrupts::contextDestroyedBeforeInterrupt_data()
{
    QTest::addColumn<bool>("whileQueued");
    QTest::addRow("destroyed before shutdown") << false;
    QTest::addRow("destroyed while its interrupt is queued") << true;
}

// A context destroyed before its interrupt arrives: the interrupt is dropped, nothing
// crashes, and the actor still exits (through requestInterruption()).
void tst_Interrupts::contextDestroyedBeforeInterrupt()
{
    QFETCH(bool, whileQueued);
    auto calls = std::make_shared<std::atomic<int>>(0);
    auto gate = std::make_shared<Gate>();
    auto hold = std::make_shared<Gate>();
    auto holding = std::make_shared<std::atomic<bool>>(false);
    auto deleted = std::make_shared<std::atomic<bool>>(false);
    WorkerThread worker(QStringLiteral("contextThread"));
    QObject *context = whileQueued ? worker.create<QObject>() : new QObject;

    RunGroup group;
    auto release = qScopeGuard([&] {
        gate->open();
        hold->open();
    });
    QCOMPARE(group.add(
                 &pollInterruption, [calls] { ++*calls; }, context),
             0);
    QCOMPARE(group.add(waitFor(gate, failure("first"))), 1);
    GroupLog events(&group);

    group.start();
    if (whileQueued) {
        // Block the context's thread, so its interrupt waits in the queue.
        worker.post([hold, holding, deleted, context] {
            *holding = true;
            hold->wait();
            delete context;
            *deleted = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(holding->load(), kTimeout);
    } else {
        delete context;
    }
    gate->open();
    // Both actors exit (actor 0 through requestInterruption()), whatever its interrupt does.
    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Exited), 2, kTimeout);
    QCOMPARE(events.exitError(0), RunError());
    QCOMPARE(events.exitError(1), failure("first"));
    if (whileQueued) {
        // Destroy the context on its own thread while the interrupt is still queued.
        hold->open();
        QTRY_VERIFY_WITH_TIMEOUT(deleted->load(), kTimeout);
        worker.flush();
    }
    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    QCOMPARE(events.finishedError(), failure("first"));
    const QString problem = events.checkRun(2);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCoreApplication::processEvents();
    QCOMPARE(calls->load(), 0);
}

void tst_Interrupts::throwingInterrupt_data()
{
    QTest::addColumn<bool>("stdException");
    QTest::addColumn<QString>("warning");
    QTest::addRow("std::exception")
        << true << QStringLiteral("RunGroup: The interrupt of actor 2 threw an exception: boom");
    QTest::addRow("other")
        << false
        << QStringLiteral(
               "RunGroup: The interrupt of actor 2 threw an exception: unknown exception");
}

// An interrupt that throws gets a warning; the run carries on normally.
void tst_Interrupts::throwingInterrupt()
{
    QFETCH(bool, stdException);
    QFETCH(QString, warning);
    constexpr int kActors = 5;
    auto log = std::make_shared<InterruptLog>();
    std::vector<std::shared_ptr<Gate>> gates;
    for (int i = 0; i < kActors; ++i)
        gates.push_back(std::make_shared<Gate>());
    RunGroup group;
    auto release = qScopeGuard([&] {
        for (const auto &gate : gates)
            gate->open();
    });
    for (int i = 0; i < kActors; ++i) {
        auto gate = gates[size_t(i)];
        const RunError result = i == 4 ? failure("first") : RunError();
        auto interrupt = [log, gate, i, stdException](const RunError &error) {
            log->record(i, error);
            gate->open();
            if (i == 2) {
                if (stdException)
                    throw std::runtime_error("boom");
                throw 42;
            }
        };
        QCOMPARE(group.add(waitFor(gate, result), interrupt), i);
    }
    GroupLog events(&group);

    QTest::ignoreMessage(QtWarningMsg, qPrintable(warning));
    group.start();
    gates[4]->open();
    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    QCOMPARE(events.finishedError(), failure("first"));
    const QString problem = events.checkRun(kActors);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_COMPARE_WITH_TIMEOUT(log->count(), kActors, kTimeout);
    QCOMPARE(log->order(), QList<int>({0, 1, 2, 3, 4}));
    QCOMPARE(group.state(), RunGroup::State::Finished);
}

QTEST_GUILESS_MAIN(tst_Interrupts)
#include "tst_interrupts.moc"
