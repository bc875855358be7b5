// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// start(), stop() and run(): called while running, idle or finished, stop() racing the
// first exit, and run()'s local event loop.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QScopeGuard>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "grouplog.h"
#include "interruptlog.h"
#include "rungrouptest.h"
#include "rungrouptestcase.h"
#include "testsync.h"

class tst_StartStop : public RunGroupTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void startWhileRunning();
    void stopWithReason_data();
    void stopWithReason();
    void stopWhenIdleOrFinished();
    void emptyGroupStopBeforeFinished();
    void firstExitRacesStop();
    void runSpinsLocalLoop();
    void runDrivesObjectActors();
    void runWhileRunning();
};

void tst_StartStop::startWhileRunning()
{
    auto gate = std::make_shared<Gate>();
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
    GroupLog events(&group);

    group.start();
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::start: The group is already running");
    group.start();
    QCOMPARE(group.state(), RunGroup::State::Running);

    group.stop();
    QCOMPARE(group.state(), RunGroup::State::Interrupting);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::start: The group is already running");
    group.start();
    QCOMPARE(group.state(), RunGroup::State::Interrupting);

    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    const QString problem = events.checkRun(1);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(events.finishedError(), RunError::canceled());
}

namespace {
enum class StopCall { Reason, Default, InvokeWithReason, InvokeDefault };
} // namespace

void tst_StartStop::stopWithReason_data()
{
    QTest::addColumn<int>("call");
    QTest::addColumn<RunError>("reason");
    QTest::addRow("stop(failure)") << int(StopCall::Reason) << failure("reason");
    QTest::addRow("stop(canceled with message)")
        << int(StopCall::Reason) << RunError::canceled(QStringLiteral("bye"));
    QTest::addRow("stop(no error)") << int(StopCall::Reason) << RunError();
    QTest::addRow("stop()") << int(StopCall::Default) << RunError::canceled();
    QTest::addRow("invokeMethod stop(RunError)")
        << int(StopCall::InvokeWithReason) << failure("meta");
    QTest::addRow("invokeMethod stop()") << int(StopCall::InvokeDefault) << RunError::canceled();
}

// stop(reason) shuts down as if an actor had exited with reason.
void tst_StartStop::stopWithReason()
{
    QFETCH(int, call);
    QFETCH(RunError, reason);
    auto log = std::make_shared<InterruptLog>();
    std::vector<std::shared_ptr<Gate>> gates = {std::make_shared<Gate>(), std::make_shared<Gate>()};
    RunGroup group;
    auto release = qScopeGuard([&] {
        for (const auto &gate : gates)
            gate->open();
    });
    for (int i = 0; i < 2; ++i) {
        auto gate = gates[size_t(i)];
        QCOMPARE(group.add(waitFor(gate), recordAndOpen(log, i, gate)), i);
    }
    GroupLog events(&group);

    group.start();
    switch (StopCall(call)) {
    case StopCall::Reason: group.stop(reason); break;
    case StopCall::Default: group.stop(); break;
    case StopCall::InvokeWithReason:
        QVERIFY(QMetaObject::invokeMethod(&group, "stop", Qt::DirectConnection,
                                          Q_ARG(RunError, reason)));
        break;
    case StopCall::InvokeDefault:
        QVERIFY(QMetaObject::invokeMethod(&group, "stop", Qt::DirectConnection));
        break;
    }
    QCOMPARE(group.state(), RunGroup::State::Interrupting);

    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    QCOMPARE(events.finishedError(), reason);
    QCOMPARE(group.error(), reason);
    QCOMPARE(group.errors(), QList<RunError>(2, RunError()));
    const QString problem = events.checkRun(2);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_COMPARE_WITH_TIMEOUT(log->count(), 2, kTimeout);
    QCOMPARE(log->order(), QList<int>({0, 1}));
    for (const auto &c : log->calls())
        QCOMPARE(c.error, reason);
}

// stop() when idle or finished: no effect, no signal, no warning.
void tst_StartStop::stopWhenIdleOrFinished()
{
    RunGroup group;
    QCOMPARE(group.add([] { return failure("x"); }), 0);
    QSignalSpy started(&group, &RunGroup::started);
    QSignalSpy exited(&group, &RunGroup::actorExited);
    QSignalSpy finished(&group, &RunGroup::finished);
    QSignalSpy stateChanged(&group, &RunGroup::stateChanged);
    QSignalSpy runningChanged(&group, &RunGroup::runningChanged);
    QSignalSpy errorChanged(&group, &RunGroup::errorChanged);
    QSignalSpy errorsChanged(&group, &RunGroup::errorsChanged);
    const auto total = [&] {
        return started.count() + exited.count() + finished.count() + stateChanged.count()
               + runningChanged.count() + errorChanged.count() + errorsChanged.count();
    };

    group.stop();
    group.stop(failure("idle"));
    QCoreApplication::processEvents();
    QCOMPARE(total(), 0);
    QCOMPARE(group.state(), RunGroup::State::Idle);
    QCOMPARE(group.error(), RunError());

    QCOMPARE(group.run(), failure("x"));
    const int afterRun = int(total());
    group.stop();
    group.stop(failure("finished"));
    QCoreApplication::processEvents();
    QCOMPARE(total(), afterRun);
    QCOMPARE(group.state(), RunGroup::State::Finished);
    QCOMPARE(group.error(), failure("x"));
    QCOMPARE(group.errors(), QList<RunError>({failure("x")}));
}

// An empty group stopped before its asynchronous finish finishes with stop()'s reason.
void tst_StartStop::emptyGroupStopBeforeFinished()
{
    RunGroup group;
    QSignalSpy finished(&group, &RunGroup::finished);

    group.start();
    group.stop(failure("reason"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(errorAt(finished, 0, 0), failure("reason"));
    QCOMPARE(group.error(), failure("reason"));
    QCOMPARE(group.state(), RunGroup::State::Finished);

    group.start();
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kTimeout);
    QCOMPARE(errorAt(finished, 1, 0), RunError::canceled());
    QCoreApplication::processEvents();
    QCOMPARE(finished.count(), 2);
}

// stop() racing the first actor's exit: one of them wins, everything else stays exact.
void tst_StartStop::firstExitRacesStop()
{
    int stopWon = 0;
    int exitWon = 0;
    for (int i = 0; i < 300; ++i) {
        auto log = std::make_shared<InterruptLog>();
        auto gate = std::make_shared<Gate>();
        RunGroup group;
        auto release = qScopeGuard([&] { gate->open(); });
        group.add([] { return failure("exit"); }, recordInto(log, 0));
        group.add(waitFor(gate), recordAndOpen(log, 1, gate));
        GroupLog events(&group);

        group.start();
        switch (i % 4) {
        case 1: std::this_thread::sleep_for(std::chrono::microseconds(i % 100 * 5)); break;
        case 2: QCoreApplication::processEvents(); break;
        case 3:
            std::this_thread::yield();
            QCoreApplication::processEvents();
            break;
        default: break;
        }
        const int exitsBeforeStop = events.count(GroupLog::Exited);
        group.stop(failure("stop"));

        QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
        const RunError error = events.finishedError();
        if (exitsBeforeStop > 0)
            QCOMPARE(error, failure("exit"));
        else
            QVERIFY2(error == failure("exit") || error == failure("stop"),
                     qPrintable(error.toString()));
        (error == failure("stop") ? stopWon : exitWon)++;
        QCOMPARE(group.error(), error);
        QCOMPARE(group.errors(), QList<RunError>({failure("exit"), RunError()}));
        const QString problem = events.checkRun(2);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QTRY_COMPARE_WITH_TIMEOUT(log->count(), 2, kTimeout);
        QCoreApplication::processEvents();
        QCOMPARE(log->order(), QList<int>({0, 1}));
        for (const auto &call : log->calls())
            QCOMPARE(call.error, error);
    }
    qInfo("firstExitRacesStop: stop won %d times, the first exit %d times", stopWon, exitWon);
}

// run() spins a local event loop: an interrupt queued to the group's thread runs inside it.
void tst_StartStop::runSpinsLocalLoop()
{
    auto gate = std::make_shared<Gate>();
    auto calls = std::make_shared<std::atomic<int>>(0);
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group.add([] { return failure("first"); }), 0);
    QCOMPARE(
        group.add([gate] { return gate->wait() ? RunError() : failure("interrupt never ran"); },
                  [gate, calls] {
                      ++*calls;
                      gate->open();
                  }),
        1);

    QCOMPARE(group.run(), failure("first"));
    QCOMPARE(calls->load(), 1);
    QCOMPARE(group.errors(), QList<RunError>({failure("first"), RunError()}));
    QCOMPARE(group.state(), RunGroup::State::Finished);
}

// run() drives event-driven actors on the calling thread (a QTimer here).
void tst_StartStop::runDrivesObjectActors()
{
    auto gate = std::make_shared<Gate>();
    QTimer timer;
    timer.setSingleShot(true);
    timer.setInterval(0);
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group.addObject(&timer, &QTimer::timeout, &QTimer::stop), 0);
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 1);

    timer.start(); // fires inside run()
    QCOMPARE(group.run(), RunError());
    QCOMPARE(group.errors(), QList<RunError>({RunError(), RunError()}));
}

// run() while running: a warning, and error() at once.
void tst_StartStop::runWhileRunning()
{
    auto go = std::make_shared<Semaphore>();
    auto runNumber = std::make_shared<std::atomic<int>>(0);
    RunGroup group;
    auto release = qScopeGuard([&] { go->release(100); });
    QCOMPARE(group.add([go, runNumber] {
        const int run = ++*runNumber;
        return go->acquire() ? RunError::failure(QStringLiteral("run %1").arg(run))
                             : failure("never released");
    }),
             0);

    go->release();
    QCOMPARE(group.run(), failure("run 1"));

    // From a slot during run().
    RunError nested = failure("nested run() was not called");
    RunGroup::State stateInSlot = RunGroup::State::Idle;
    QTimer::singleShot(0, &group, [&] {
        stateInSlot = group.state();
        nested = group.run();
        go->release();
    });
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::run: The group is already running");
    QCOMPARE(group.run(), failure("run 2"));
    QCOMPARE(stateInSlot, RunGroup::State::Running);
    QCOMPARE(nested, failure("run 1"));

    // After start().
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::run: The group is already running");
    QCOMPARE(group.run(), failure("run 2"));
    QCOMPARE(group.state(), RunGroup::State::Running);
    go->release();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(errorAt(finished, 0, 0), failure("run 3"));
}

QTEST_GUILESS_MAIN(tst_StartStop)
#include "tst_startstop.moc"
