// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Exit policies, restarts with their limit and backoff, and reload: every actor kind that
// can restart, the readiness gate a restarted actor re-enters, what ends the restarts, and
// the bad input around them.

#include <RunGroup/RunGroup>

#include <QtCore/QAbstractItemModel>
#include <QtCore/QElapsedTimer>
#include <QtCore/QMutex>
#include <QtCore/QPromise>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <climits>
#include <csignal>
#include <memory>
#include <stdexcept>
#include <thread>

#include "emitter.h"
#ifdef Q_OS_LINUX
#include "procstats.h"
#endif
#include "rungrouptest.h"
#include "rungrouptestcase.h"
#include "sparesignal.h"
#include "testsync.h"

using namespace std::chrono_literals;

namespace {

// An actor that fails at once, counting its incarnations.
int addFailing(RunGroup &group, std::shared_ptr<std::atomic<int>> runs, const QString &name)
{
    return group.add(
        [runs] {
            const int n = ++*runs;
            return RunError::failure(QStringLiteral("failure %1").arg(n));
        },
        {}, nullptr, name);
}

// An actor that runs until interrupted (its interrupt opens a gate per incarnation).
int addBlocking(RunGroup &group, const QString &name)
{
    auto semaphore = std::make_shared<Semaphore>();
    return group.add(
        [semaphore] {
            while (!semaphore->acquire(5)) {
                if (QThread::currentThread()->isInterruptionRequested())
                    break;
            }
            return RunError();
        },
        [semaphore] { semaphore->release(); }, nullptr, name);
}

} // namespace

class tst_Restarts : public RunGroupTestCase
{
    Q_OBJECT

private Q_SLOTS:
    // Exit policies
    void endRunIsTheDefault();
    void restartOnErrorRestartsUntilTheLimit();
    void cleanExitRetiresTheActor();
    void errorEndsTheRunUnderEndRunOnError();
    void everyActorRetiredFinishesWithoutError();
    void restartRestartsCleanExitsToo();
    void restartsWithinTheWindowOnly();
    // Backoff
    void backoffGrowsToItsMaximum();
    void restartsStopWhenTheRunEnds();
    void destroyedDuringBackoff();
    // Kinds of actors
    void processRestarts();
    void timeoutRestarts();
    void nestedGroupRestarts();
    void workerThreadRestarts();
    void actorsThatCannotRestartAreRefused();
    // Readiness and interrupts
    void restartedActorReentersTheReadinessGate();
    void interruptGoesToTheLastIncarnationOnce();
    void markDuringBackoffDoesNotCount();
    void modelShowsRestarts();
    void manyRestartsDoNotGrowThreads();
    // Reload
    void reloadCallsHandlersOnTheirThreads();
    void reloadRequestsCoalesce();
    void reloadHandlerThatThrows();
    void reloadIgnoredUnlessRunning();
    void reloadSignal();
    void reloadSignalStorm();
    // Bad input
    void badInput();
    void configurationRefusedWhileRunning();
};

void tst_Restarts::endRunIsTheDefault()
{
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    addFailing(group, runs, QStringLiteral("worker"));
    QCOMPARE(group.exitPolicy(0), RunGroup::ExitPolicy::EndRun);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("failure 1")));
    QCOMPARE(restarting.count(), 0);
    QCOMPARE(group.restartCount(0), 0);
}

// N restarts within the window are allowed; the next failure ends the run with its error.
void tst_Restarts::restartOnErrorRestartsUntilTheLimit()
{
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    addFailing(group, runs, QStringLiteral("worker"));
    addBlocking(group, QStringLiteral("server"));
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartLimit(0, 3, 1h);
    group.setRestartBackoff(0, 0ms, 0ms);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    QSignalSpy exited(&group, &RunGroup::actorExited);
    QSignalSpy started(&group, &RunGroup::actorStarted);
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("failure 4")));
    QCOMPARE(*runs, 4);
    QCOMPARE(restarting.count(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(restarting.at(i).at(0).toInt(), 0);
        QCOMPARE(errorAt(restarting, i, 1),
                 RunError::failure(QStringLiteral("failure %1").arg(i + 1)));
        QCOMPARE(restarting.at(i).at(2).toInt(), i + 1);
    }
    QCOMPARE(exited.count(), 2); // once per actor per run
    QCOMPARE(started.count(), 2 + 3);
    QCOMPARE(group.restartCount(0), 3);
    QCOMPARE(group.errors().at(0), RunError::failure(QStringLiteral("failure 4")));
}

void tst_Restarts::cleanExitRetiresTheActor()
{
    RunGroup group;
    QCOMPARE(group.add([] {}, {}, nullptr, QStringLiteral("migration")), 0);
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate, failure("server failed")), opener(gate)), 1);
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    QSignalSpy exited(&group, &RunGroup::actorExited);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(exited.count(), 1, kTimeout);
    QCOMPARE(exited.at(0).at(0).toInt(), 0);
    QCOMPARE(group.state(), RunGroup::State::Running); // the run goes on
    QCOMPARE(restarting.count(), 0);
    group.stop(failure("stopped"));
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(group.error(), failure("stopped"));
    QCOMPARE(exited.count(), 2);
}

void tst_Restarts::errorEndsTheRunUnderEndRunOnError()
{
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    addFailing(group, runs, QStringLiteral("worker"));
    addBlocking(group, QStringLiteral("server"));
    group.setExitPolicy(0, RunGroup::ExitPolicy::EndRunOnError);
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("failure 1")));
    QCOMPARE(*runs, 1);
}

void tst_Restarts::everyActorRetiredFinishesWithoutError()
{
    RunGroup group;
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(group.add([] {}), i);
        group.setExitPolicy(i, i == 1 ? RunGroup::ExitPolicy::RestartOnError
                                      : RunGroup::ExitPolicy::EndRunOnError);
    }
    QSignalSpy exited(&group, &RunGroup::actorExited);
    QCOMPARE(runToEnd(group), RunError());
    QCOMPARE(exited.count(), 3);
    QCOMPARE(group.exitCode(), 0);
}

void tst_Restarts::restartRestartsCleanExitsToo()
{
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    group.add([runs] { ++*runs; });
    group.setExitPolicy(0, RunGroup::ExitPolicy::Restart);
    group.setRestartLimit(0, 5, 1h);
    group.setRestartBackoff(0, 0ms, 0ms);
    // The sixth clean exit is over the limit and ends the run, with no error.
    QCOMPARE(runToEnd(group), RunError());
    QCOMPARE(*runs, 6);
    QCOMPARE(group.restartCount(0), 5);
}

// Only restarts within the window count: with 1 restart allowed per 100 ms and a backoff
// of 150 ms, the limit is never reached.
void tst_Restarts::restartsWithinTheWindowOnly()
{
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    group.add([runs] { return ++*runs < 6 ? failure("again") : failure("enough"); });
    addBlocking(group, QStringLiteral("server"));
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartLimit(0, 1, 100ms);
    group.setRestartBackoff(0, 150ms, 150ms);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(restarting.count(), 5, kTimeout);
    QCOMPARE(group.state(), RunGroup::State::Running);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
}

// Each wait at least 80% of initial * 2^k, up to the maximum: lower bounds only.
void tst_Restarts::backoffGrowsToItsMaximum()
{
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    addFailing(group, runs, QStringLiteral("flaky"));
    addBlocking(group, QStringLiteral("server"));
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartLimit(0, 5, 1h);
    group.setRestartBackoff(0, 40ms, 160ms);
    QList<qint64> restartedAt;
    QElapsedTimer clock;
    clock.start();
    QList<qint64> failedAt;
    connect(&group, &RunGroup::actorRestarting, this, [&] { failedAt.append(clock.elapsed()); });
    connect(&group, &RunGroup::actorStarted, this, [&](int index) {
        if (index == 0)
            restartedAt.append(clock.elapsed());
    });
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(failedAt.size(), 5);
    QCOMPARE(restartedAt.size(), 6);
    const qint64 expected[] = {40, 80, 160, 160, 160};
    for (int i = 0; i < 5; ++i) {
        const qint64 waited = restartedAt.at(i + 1) - failedAt.at(i);
        QVERIFY2(waited >= expected[i] * 8 / 10 - 2,
                 qPrintable(QStringLiteral("wait %1: %2 ms").arg(i).arg(waited)));
    }
    QCOMPARE(group.error(), RunError::failure(QStringLiteral("failure 6")));
}

// An actor waiting to restart never does once the run ends: it exits with its last error.
void tst_Restarts::restartsStopWhenTheRunEnds()
{
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    addFailing(group, runs, QStringLiteral("flaky"));
    addBlocking(group, QStringLiteral("server"));
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartBackoff(0, 1h, 1h);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    QSignalSpy exited(&group, &RunGroup::actorExited);
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(restarting.count(), 1, kTimeout);
    QCOMPARE(group.actorModel()->index(0, 0).data(group.actorModel()->roleNames().key("state")),
             QVariant(QStringLiteral("restarting")));
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(*runs, 1);
    QCOMPARE(exited.count(), 2);
    QCOMPARE(group.errors().at(0), RunError::failure(QStringLiteral("failure 1")));
    QTest::qWait(50);
    QCOMPARE(*runs, 1); // no late restart
}

void tst_Restarts::destroyedDuringBackoff()
{
    auto *group = new RunGroup;
    auto runs = std::make_shared<std::atomic<int>>(0);
    addFailing(*group, runs, QStringLiteral("flaky"));
    addBlocking(*group, QStringLiteral("server"));
    group->setExitPolicy(0, RunGroup::ExitPolicy::Restart);
    group->setRestartBackoff(0, 1h, 1h);
    QSignalSpy restarting(group, &RunGroup::actorRestarting);
    QSignalSpy exited(group, &RunGroup::actorExited);
    group->start();
    QTRY_COMPARE_WITH_TIMEOUT(restarting.count(), 1, kTimeout);
    delete group; // joins the server; the flaky actor never restarts
    QCOMPARE(exited.count(), 2);
    QCOMPARE(*runs, 1);
}

void tst_Restarts::processRestarts()
{
    RunGroup group;
    const int index =
        // rungroup-process-child (tests/auto/process/helper), on every platform.
        group.addProcess(QStringLiteral(RUNGROUP_PROCESS_CHILD_PATH),
                         {QStringLiteral("exit"), QStringLiteral("3")}, QStringLiteral("job"));
    QCOMPARE(index, 0);
    addBlocking(group, QStringLiteral("server"));
    group.setExitPolicy(index, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartLimit(index, 2, 1h);
    group.setRestartBackoff(index, 0ms, 0ms);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    const RunError error = runToEnd(group);
    QCOMPARE(error.kind(), RunError::Kind::Failure);
    QVERIFY2(error.message().contains(QStringLiteral("3")), qPrintable(error.message()));
    QCOMPARE(restarting.count(), 2);
}

void tst_Restarts::timeoutRestarts()
{
    RunGroup group;
    QCOMPARE(group.addTimeout(10ms, QStringLiteral("tick")), 0);
    addBlocking(group, QStringLiteral("server"));
    group.setExitPolicy(0, RunGroup::ExitPolicy::Restart);
    group.setRestartLimit(0, 3, 1h);
    group.setRestartBackoff(0, 0ms, 0ms);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    QCOMPARE(runToEnd(group).kind(), RunError::Kind::Timeout);
    QCOMPARE(restarting.count(), 3);
}

void tst_Restarts::nestedGroupRestarts()
{
    RunGroup group;
    RunGroup child;
    auto runs = std::make_shared<std::atomic<int>>(0);
    addFailing(child, runs, QStringLiteral("inner"));
    QCOMPARE(group.addGroup(&child, QStringLiteral("child")), 0);
    addBlocking(group, QStringLiteral("server"));
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartLimit(0, 2, 1h);
    group.setRestartBackoff(0, 0ms, 0ms);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("failure 3")));
    QCOMPARE(restarting.count(), 2);
    QCOMPARE(*runs, 3); // the child ran three times
}

// The worker's objects move back after each incarnation and go to a new thread at the
// restart.
void tst_Restarts::workerThreadRestarts()
{
    RunGroup group;
    auto *object = new QObject;
    QList<QThread *> threads;
    int incarnations = 0;
    const int index = group.addWorkerThread({object}, {}, QStringLiteral("worker"));
    QCOMPARE(index, 0);
    addBlocking(group, QStringLiteral("server"));
    connect(&group, &RunGroup::actorStarted, this, [&](int i) {
        if (i != index)
            return;
        ++incarnations;
        // On the worker's thread: record it, then fail the incarnation.
        QMetaObject::invokeMethod(
            object,
            [&threads, object, incarnations] {
                threads.append(QThread::currentThread());
                Q_UNUSED(object);
                RunGroup::exitWorker(
                    RunError::failure(QStringLiteral("worker %1").arg(incarnations)));
            },
            Qt::QueuedConnection);
    });
    group.setExitPolicy(index, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartLimit(index, 2, 1h);
    group.setRestartBackoff(index, 0ms, 0ms);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("worker 3")));
    QCOMPARE(restarting.count(), 2);
    QCOMPARE(threads.size(), 3);
    QVERIFY(!threads.contains(QThread::currentThread()));
    QCOMPARE(object->thread(), QThread::currentThread()); // moved back at the end
    delete object;
}

void tst_Restarts::actorsThatCannotRestartAreRefused()
{
    RunGroup group;
    Emitter emitter;
    QCOMPARE(group.addObject(&emitter, &Emitter::exitPlain), 0);
    QCOMPARE(group.addSignalHandler({kSpareSignal}), 1);
    QPromise<void> promise;
    QCOMPARE(group.add(promise.future(), QStringLiteral("job")), 2);
    QObject *doomed = new QObject;
    QCOMPARE(group.addWorkerThread({doomed}, {}, QStringLiteral("worker"),
                                   RunGroup::WorkerObjects::Delete),
             3);
    const char *labels[] = {"actor 0", "actor 1 (signals)", "actor 2 (job)", "actor 3 (worker)"};
    for (int i = 0; i < 4; ++i) {
        for (auto policy : {RunGroup::ExitPolicy::Restart, RunGroup::ExitPolicy::RestartOnError}) {
            QTest::ignoreMessage(
                QtWarningMsg,
                qPrintable(QStringLiteral("RunGroup::setExitPolicy: %1 cannot restart (a signal "
                                          "handler, a future, an addObject() actor or a worker "
                                          "thread that deletes its objects cannot begin again)")
                               .arg(QLatin1String(labels[i]))));
            group.setExitPolicy(i, policy);
            QCOMPARE(group.exitPolicy(i), RunGroup::ExitPolicy::EndRun);
        }
        group.setExitPolicy(i, RunGroup::ExitPolicy::EndRunOnError); // possible for any kind
        QCOMPARE(group.exitPolicy(i), RunGroup::ExitPolicy::EndRunOnError);
    }
    promise.start();
    promise.finish();
    delete doomed; // never started: the worker did not take it
}

// A restarted actor that requires readiness is not ready until it says so again; an actor
// waiting for it does not start meanwhile.
void tst_Restarts::restartedActorReentersTheReadinessGate()
{
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    auto release = std::make_shared<Semaphore>();
    QCOMPARE(group.add(
                 [&group, runs, release] {
                     const int n = ++*runs;
                     if (n == 1)
                         return failure("first incarnation fails before it is ready");
                     group.markReady(0);
                     while (!release->acquire(5)) {
                         if (QThread::currentThread()->isInterruptionRequested())
                             break;
                     }
                     return RunError();
                 },
                 [release] { release->release(); }, nullptr, QStringLiteral("storage")),
             0);
    QCOMPARE(addBlocking(group, QStringLiteral("web")), 1);
    group.requireReady(0);
    QVERIFY(group.setDependencies(1, {0}));
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartBackoff(0, 50ms, 50ms);
    QSignalSpy ready(&group, &RunGroup::actorReady);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    // Read when the restart is announced, not after a QTRY poll: the 50 ms backoff may be
    // over, and the second incarnation ready, by the time a poll sees the signal.
    bool readyWhenRestarting = true;
    bool dependentStartedWhenRestarting = true;
    connect(&group, &RunGroup::actorRestarting, this, [&](int index) {
        if (index != 0)
            return;
        readyWhenRestarting = group.isReady(0);
        dependentStartedWhenRestarting = group.isStarted(1);
    });
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(restarting.count(), 1, kTimeout);
    QVERIFY(!readyWhenRestarting);
    QVERIFY(!dependentStartedWhenRestarting);
    QTRY_VERIFY_WITH_TIMEOUT(group.isStarted(1), kTimeout);
    QVERIFY(group.isReady(0));
    QCOMPARE(ready.count(), 2);
    QCOMPARE(ready.at(0).at(0).toInt(), 0);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
}

// Restarts happen only while the run goes on, so the one interrupt of the run reaches the
// incarnation that runs then, once.
void tst_Restarts::interruptGoesToTheLastIncarnationOnce()
{
    RunGroup group;
    auto incarnation = std::make_shared<std::atomic<int>>(0);
    auto interrupted = std::make_shared<QList<int>>();
    auto mutex = std::make_shared<QMutex>();
    auto semaphore = std::make_shared<Semaphore>();
    group.add(
        [incarnation, semaphore] {
            const int n = ++*incarnation;
            if (n < 3)
                return failure("early failure");
            while (!semaphore->acquire(5)) {
            }
            return RunError();
        },
        [incarnation, interrupted, mutex, semaphore] {
            QMutexLocker lock(mutex.get());
            interrupted->append(*incarnation);
            semaphore->release();
        });
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartBackoff(0, 0ms, 0ms);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(restarting.count(), 2, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(group.isReady(0), true, kTimeout);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QMutexLocker lock(mutex.get());
    QCOMPARE(*interrupted, QList<int>{3});
}

// While an actor waits to restart, a mark from another thread (which could not know) is
// dropped silently, and one from the group's thread is refused with a warning: the next
// incarnation must say it is ready itself.
void tst_Restarts::markDuringBackoffDoesNotCount()
{
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    addFailing(group, runs, QStringLiteral("storage"));
    addBlocking(group, QStringLiteral("server"));
    group.requireReady(0);
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartBackoff(0, 1h, 1h);
    QSignalSpy restarting(&group, &RunGroup::actorRestarting);
    QSignalSpy ready(&group, &RunGroup::actorReady);
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(restarting.count(), 1, kTimeout);
    std::thread other([&group] { group.markReady(0); });
    other.join();
    QTest::qWait(20);
    QVERIFY(!group.isReady(0));
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::markReady: actor 0 (storage) is waiting to restart");
    group.markReady(0);
    QVERIFY(!group.isReady(0));
    QCOMPARE(ready.count(), 1); // the server only
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
}

void tst_Restarts::modelShowsRestarts()
{
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    addFailing(group, runs, QStringLiteral("flaky"));
    addBlocking(group, QStringLiteral("server"));
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartBackoff(0, 1h, 1h);
    QAbstractItemModel *model = group.actorModel();
    const QHash<int, QByteArray> roles = model->roleNames();
    QVERIFY(roles.values().contains("restarts"));
    QVERIFY(roles.values().contains("nextAttempt"));
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0).data(roles.key("restarts")).toInt(), 1, kTimeout);
    QCOMPARE(model->index(0, 0).data(roles.key("state")).toString(), QStringLiteral("restarting"));
    const QDateTime next = model->index(0, 0).data(roles.key("nextAttempt")).toDateTime();
    QVERIFY(next.isValid());
    QVERIFY(next > QDateTime::currentDateTime().addSecs(60 * 40));
    QCOMPARE(model->index(0, 0).data(roles.key("error")).value<RunError>(),
             RunError::failure(QStringLiteral("failure 1")));
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QVERIFY(!model->index(0, 0).data(roles.key("nextAttempt")).toDateTime().isValid());
}

// 2,000 restarts of a threaded actor reuse the parked threads: no thread or fd growth.
void tst_Restarts::manyRestartsDoNotGrowThreads()
{
#ifndef Q_OS_LINUX
    QSKIP("counts threads and fds in /proc");
#else
    RunGroup group;
    auto runs = std::make_shared<std::atomic<int>>(0);
    addFailing(group, runs, QStringLiteral("flaky"));
    group.setExitPolicy(0, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartLimit(0, 2000, 24h);
    group.setRestartBackoff(0, 0ms, 0ms);
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("failure 2001")));
    const int threads = processThreadCount();
    const int fds = processFdCount();
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("failure 4002")));
    QVERIFY2(processThreadCount() <= threads + 1,
             qPrintable(QStringLiteral("%1 -> %2").arg(threads).arg(processThreadCount())));
    QCOMPARE(processFdCount(), fds);
#endif
}

void tst_Restarts::reloadCallsHandlersOnTheirThreads()
{
    RunGroup group;
    QThread worker;
    worker.start();
    QObject context;
    context.moveToThread(&worker);
    const int onGroup = addBlocking(group, QStringLiteral("a"));
    auto gate = std::make_shared<Gate>();
    const int onWorker = group.add(waitFor(gate), opener(gate), &context, QStringLiteral("b"));
    addBlocking(group, QStringLiteral("c")); // no handler
    QList<QThread *> threads;
    QMutex mutex;
    group.setReloadHandler(onGroup, [&] {
        QMutexLocker lock(&mutex);
        threads.append(QThread::currentThread());
    });
    group.setReloadHandler(onWorker, [&](const RunError &error) {
        QVERIFY(!error.isError());
        QMutexLocker lock(&mutex);
        threads.append(QThread::currentThread());
    });
    QSignalSpy reloading(&group, &RunGroup::reloading);
    QSignalSpy reloaded(&group, &RunGroup::reloaded);
    group.start();
    group.reload();
    QCOMPARE(reloading.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(reloaded.count(), 1, kTimeout);
    {
        QMutexLocker lock(&mutex);
        QCOMPARE(threads.size(), 2);
        QVERIFY(threads.contains(QThread::currentThread()));
        QVERIFY(threads.contains(&worker));
    }
    QCOMPARE(group.state(), RunGroup::State::Running); // a reload does not end the run
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    worker.quit();
    worker.wait();
}

// Requests during a round make one more round after it, never more, never lost.
void tst_Restarts::reloadRequestsCoalesce()
{
    RunGroup group;
    addBlocking(group, QStringLiteral("a"));
    int calls = 0;
    group.setReloadHandler(0, [&] {
        ++calls;
        if (calls == 1) {
            for (int i = 0; i < 1000; ++i)
                group.reload(); // during the round
        }
    });
    QSignalSpy reloading(&group, &RunGroup::reloading);
    QSignalSpy reloaded(&group, &RunGroup::reloaded);
    group.start();
    group.reload();
    group.reload(); // before the first round ran: coalesced too
    QTRY_COMPARE_WITH_TIMEOUT(reloaded.count(), 1, kTimeout);
    QCOMPARE(calls, 2);
    QCOMPARE(reloading.count(), 2);
    QTest::qWait(20);
    QCOMPARE(reloaded.count(), 1);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
}

void tst_Restarts::reloadHandlerThatThrows()
{
    RunGroup group;
    addBlocking(group, QStringLiteral("a"));
    group.setReloadHandler(0, [] { throw std::runtime_error("bad config"); });
    QSignalSpy reloaded(&group, &RunGroup::reloaded);
    group.start();
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup: The reload handler of actor 0 threw an exception: bad config");
    group.reload();
    QTRY_COMPARE_WITH_TIMEOUT(reloaded.count(), 1, kTimeout);
    QCOMPARE(group.state(), RunGroup::State::Running);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
}

void tst_Restarts::reloadIgnoredUnlessRunning()
{
    RunGroup group;
    auto gate = std::make_shared<Gate>();
    group.add(waitFor(gate), opener(gate));
    int calls = 0;
    group.setReloadHandler(0, [&] { ++calls; });
    QSignalSpy reloading(&group, &RunGroup::reloading);
    group.reload(); // idle
    group.start();
    group.stop();
    group.reload(); // stopping
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    group.reload(); // finished
    QCOMPARE(reloading.count(), 0);
    QCOMPARE(calls, 0);
}

void tst_Restarts::reloadSignal()
{
#ifdef Q_OS_WIN
    QSKIP("POSIX signals: raise() of SIGUSR1 and SIGUSR2");
#else
    RunGroup group;
    const int signalsIndex = group.addSignalHandler({SIGUSR1});
    QVERIFY(group.setReloadSignals(signalsIndex, {SIGUSR2}));
    addBlocking(group, QStringLiteral("server"));
    int calls = 0;
    group.setReloadHandler(1, [&] { ++calls; });
    QSignalSpy reloaded(&group, &RunGroup::reloaded);
    group.start();
    std::raise(SIGUSR2);
    QTRY_COMPARE_WITH_TIMEOUT(reloaded.count(), 1, kTimeout);
    QCOMPARE(calls, 1);
    QCOMPARE(group.state(), RunGroup::State::Running);
    std::raise(SIGUSR1); // its own signal still ends the run
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(group.error(), RunError::fromSignal(SIGUSR1));
#endif
}

// 1,000 signals in a burst: the rounds coalesce, and the last one follows the last signal.
void tst_Restarts::reloadSignalStorm()
{
#ifdef Q_OS_WIN
    QSKIP("POSIX signals: raise() of SIGUSR2");
#else
    RunGroup group;
    const int signalsIndex = group.addSignalHandler({SIGUSR1});
    QVERIFY(group.setReloadSignals(signalsIndex, {SIGUSR2}));
    addBlocking(group, QStringLiteral("server"));
    std::atomic<int> calls{0};
    group.setReloadHandler(1, [&] { ++calls; });
    QSignalSpy reloaded(&group, &RunGroup::reloaded);
    group.start();
    for (int i = 0; i < 1000; ++i)
        std::raise(SIGUSR2);
    QTRY_VERIFY_WITH_TIMEOUT(reloaded.count() >= 1, kTimeout);
    QTest::qWait(100);
    QVERIFY2(calls >= 1 && calls <= 3, qPrintable(QString::number(calls)));
    QCOMPARE(reloaded.count(), calls.load());
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
#endif
}

void tst_Restarts::badInput()
{
    RunGroup group;
    addBlocking(group, QStringLiteral("a"));
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setExitPolicy: There is no actor 5");
    group.setExitPolicy(5, RunGroup::ExitPolicy::Restart);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setRestartLimit: There is no actor -1");
    group.setRestartLimit(-1, 3, 1s);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setRestartLimit: The number of restarts must not be negative");
    group.setRestartLimit(0, -1, 1s);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setRestartLimit: The window must be positive, not 0 ms");
    group.setRestartLimit(0, 3, 0ms);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setRestartBackoff: The initial backoff must not be negative");
    group.setRestartBackoff(0, -1ms, 1s);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setRestartBackoff: The longest backoff must be "
                                       "at most 2147483647 ms, not 4294967296 ms");
    group.setRestartBackoff(0, 1ms, std::chrono::milliseconds(qint64(1) << 32));
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setRestartBackoff: The longest backoff (5 ms) must not be "
                         "shorter than the initial one (10 ms)");
    group.setRestartBackoff(0, 10ms, 5ms);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setReloadHandler: There is no actor 3");
    group.setReloadHandler(3, [] {});
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setReloadSignals: actor 0 (a) is not a signal "
                                       "handler");
    QVERIFY(!group.setReloadSignals(0, {kSpareSignal}));
    const int signalsIndex = group.addSignalHandler({kSpareSignal});
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setReloadSignals: Cannot handle signal 9");
    QVERIFY(!group.setReloadSignals(signalsIndex, {9})); // SIGKILL on POSIX
    QVERIFY(group.setReloadSignals(signalsIndex, {kSpareSignal}));
    // A limit of 0 restarts is allowed: the first failure ends the run.
    group.setRestartLimit(0, 0, 1s);
    // Nothing changed by the refused calls.
    QCOMPARE(group.exitPolicy(0), RunGroup::ExitPolicy::EndRun);
}

void tst_Restarts::configurationRefusedWhileRunning()
{
    RunGroup group;
    addBlocking(group, QStringLiteral("a"));
    group.start();
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setExitPolicy: Cannot change the exit policy "
                                       "while the group is running");
    group.setExitPolicy(0, RunGroup::ExitPolicy::Restart);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setRestartLimit: Cannot change the restart "
                                       "limit while the group is running");
    group.setRestartLimit(0, 1, 1s);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setRestartBackoff: Cannot change the restart "
                                       "backoff while the group is running");
    group.setRestartBackoff(0, 1ms, 1s);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setReloadHandler: Cannot change the reload "
                                       "handler while the group is running");
    group.setReloadHandler(0, [] {});
    QCOMPARE(group.exitPolicy(0), RunGroup::ExitPolicy::EndRun);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
}

QTEST_GUILESS_MAIN(tst_Restarts)
#include "tst_restarts.moc"
