// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// 200 seeded random runs of mixed actors, stopped at random moments, each checked in full
// (RUNGROUP_STRESS_SEED repeats one). tests/stress runs many more, under the invariant
// checker.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QRandomGenerator>
#include <QtCore/QScopeGuard>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "grouplog.h"
#include "interruptlog.h"
#include "rungrouptest.h"
#include "rungrouptestcase.h"
#include "testsync.h"
#include "workerthread.h"

class tst_RandomRuns : public RunGroupTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void stress();

private:
    void stressOnce(QRandomGenerator &rng, WorkerThread &worker, QObject *workerContext);
};

void tst_RandomRuns::stress()
{
    quint32 seed = 0;
    const QByteArray seedText = qgetenv("RUNGROUP_STRESS_SEED");
    if (!seedText.isEmpty()) {
        bool ok = false;
        seed = seedText.toUInt(&ok);
        QVERIFY2(ok, "RUNGROUP_STRESS_SEED must be an unsigned integer");
    } else {
        seed = QRandomGenerator::global()->generate();
    }
    qInfo("stress: seed %u (set RUNGROUP_STRESS_SEED=%u to repeat)", seed, seed);
    QRandomGenerator rng(seed);
    WorkerThread worker(QStringLiteral("stressContexts"));
    QObject *workerContext = worker.create<QObject>();

    constexpr int kRuns = 200;
    for (int run = 0; run < kRuns; ++run) {
        stressOnce(rng, worker, workerContext);
        if (QTest::currentTestFailed()) {
            qInfo("stress: failed in run %d with seed %u", run, seed);
            return;
        }
    }
}

namespace {
enum class StressKind { Exit, Block, Poll, Throw, Timer };
} // namespace

void tst_RandomRuns::stressOnce(QRandomGenerator &rng, WorkerThread &worker, QObject *workerContext)
{
    const int actors = int(rng.bounded(1, 9));
    auto log = std::make_shared<InterruptLog>();
    std::vector<std::unique_ptr<QTimer>> timers;
    std::vector<std::shared_ptr<Semaphore>> semaphores;
    std::vector<StressKind> kinds;
    std::vector<RunError> results;
    std::vector<bool> hasInterrupt;
    bool finite = false;

    RunGroup group;
    auto release = qScopeGuard([&] {
        for (const auto &semaphore : semaphores)
            semaphore->release(100);
    });
    for (int i = 0; i < actors; ++i) {
        const auto kind = StressKind(rng.bounded(5));
        const int delayMs = int(rng.bounded(4));
        const RunError result =
            rng.bounded(2) ? RunError::failure(QStringLiteral("actor %1").arg(i)) : RunError();
        QObject *context = rng.bounded(2) ? workerContext : nullptr;
        const QString name = rng.bounded(2) ? QStringLiteral("actor%1").arg(i) : QString();
        int index = -1;
        switch (kind) {
        case StressKind::Exit:
            finite = true;
            index = group.add(
                [delayMs, result] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
                    return result;
                },
                recordInto(log, i), context, name);
            break;
        case StressKind::Block: {
            auto semaphore = std::make_shared<Semaphore>();
            semaphores.push_back(semaphore);
            index = group.add(
                [semaphore, result] {
                    return semaphore->acquire() ? result : failure("never interrupted");
                },
                [semaphore, log, i](const RunError &error) {
                    log->record(i, error);
                    semaphore->release();
                },
                context, name);
            break;
        }
        case StressKind::Poll:
            index = group.add(
                [result] {
                    const RunError polled = pollInterruption();
                    return polled.isError() ? polled : result;
                },
                {}, nullptr, name);
            break;
        case StressKind::Throw:
            finite = true;
            index = group.add(
                [delayMs, i]() -> RunError {
                    std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
                    throw std::runtime_error("actor " + std::to_string(i) + " threw");
                },
                recordInto(log, i), context, name);
            break;
        case StressKind::Timer: {
            finite = true;
            timers.push_back(std::make_unique<QTimer>());
            QTimer *timer = timers.back().get();
            timer->setSingleShot(true);
            timer->setInterval(delayMs);
            index = group.addObject(
                timer, &QTimer::timeout,
                [timer, log, i](const RunError &error) {
                    log->record(i, error);
                    timer->start(0);
                },
                name);
            break;
        }
        }
        QCOMPARE(index, i);
        kinds.push_back(kind);
        results.push_back(result);
        hasInterrupt.push_back(kind != StressKind::Poll);
    }
    GroupLog events(&group);

    const int rounds = rng.bounded(4) == 0 ? 2 : 1;
    for (int round = 0; round < rounds; ++round) {
        events.clear();
        log->clear();
        // 0: no stop; 1: right after start(); 2: from a timer; 3: after processing events.
        int stopMode = int(rng.bounded(4));
        if (!finite && stopMode == 0)
            stopMode = 1;
        const RunError reason = rng.bounded(2) ? RunError::canceled() : failure("stop");
        const int stopDelay = int(rng.bounded(5));
        struct StopCall
        {
            bool called = false;
            int exitsBefore = 0;
            RunGroup::State state = RunGroup::State::Idle;
        } stopCall;
        const auto doStop = [&] {
            stopCall.called = true;
            stopCall.exitsBefore = events.count(GroupLog::Exited);
            stopCall.state = group.state();
            group.stop(reason);
        };

        group.start();
        QCOMPARE(group.state(), RunGroup::State::Running);
        for (const auto &timer : timers)
            timer->start();
        if (stopMode == 1) {
            doStop();
        } else if (stopMode == 2) {
            QTimer::singleShot(stopDelay, &group, doStop);
        } else if (stopMode == 3) {
            QCoreApplication::processEvents();
            doStop();
        }

        QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
        if (stopMode == 2)
            QTRY_VERIFY_WITH_TIMEOUT(stopCall.called, kTimeout);
        const QString problem = events.checkRun(actors);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        const RunError error = events.finishedError();
        const GroupLog::Event firstExit = events.exits().front();
        const bool stopCouldWin = stopCall.called && stopCall.exitsBefore == 0
                                  && stopCall.state == RunGroup::State::Running;
        if (stopCouldWin)
            QVERIFY2(error == reason || error == firstExit.error, qPrintable(error.toString()));
        else
            QCOMPARE(error, firstExit.error);
        QCOMPARE(group.error(), error);
        QCOMPARE(group.state(), RunGroup::State::Finished);
        const QList<RunError> errors = group.errors();
        QCOMPARE(errors.size(), actors);
        for (int i = 0; i < actors; ++i) {
            const RunError exited = events.exitError(i);
            QCOMPARE(errors.at(i), exited);
            switch (kinds[size_t(i)]) {
            case StressKind::Throw:
                QCOMPARE(exited.kind(), RunError::Kind::Exception);
                QCOMPARE(exited.message(), QStringLiteral("actor %1 threw").arg(i));
                break;
            case StressKind::Timer: QCOMPARE(exited, RunError()); break;
            default: QCOMPARE(exited, results[size_t(i)]); break;
            }
        }

        // Each interrupt once, with E.
        int withInterrupt = 0;
        for (bool has : hasInterrupt)
            withInterrupt += has ? 1 : 0;
        QTRY_COMPARE_WITH_TIMEOUT(log->count(), withInterrupt, kTimeout);
        worker.flush();
        QCoreApplication::processEvents();
        for (int i = 0; i < actors; ++i)
            QCOMPARE(log->countFor(i), hasInterrupt[size_t(i)] ? 1 : 0);
        for (const auto &call : log->calls())
            QCOMPARE(call.error, error);
    }
}

QTEST_GUILESS_MAIN(tst_RandomRuns)
#include "tst_randomruns.moc"
