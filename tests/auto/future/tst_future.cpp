// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The ready-made actor for a future, add(QFuture): QPromise and QtConcurrent::run.

#include <RunGroup/RunGroup>

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QFuture>
#include <QtCore/QPromise>
#include <QtCore/QScopeGuard>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "rungrouptest.h"
#include "testsync.h"

using namespace std::chrono_literals;

class tst_Future : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void futureOutcome_data();
    void futureOutcome();
    void futureFromQtConcurrent();
    void futureExceptionFromQtConcurrent();
    void futureInterruptCancelsPromise();
    void futureFinishedBeforeStart_data();
    void futureFinishedBeforeStart();
    void futureAddWhileRunning();
};

void tst_Future::futureOutcome_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<RunError>("expected");
    QTest::addRow("result") << QStringLiteral("result") << RunError();
    QTest::addRow("exception") << QStringLiteral("exception")
                               << RunError::fromException(
                                      std::make_exception_ptr(std::runtime_error("boom")));
    QTest::addRow("canceled") << QStringLiteral(
        "canceled") << RunError::canceled(QStringLiteral("RunGroup: The future was canceled"));
}

void tst_Future::futureOutcome()
{
    QFETCH(QString, how);
    QFETCH(RunError, expected);

    QPromise<int> promise;
    promise.start();
    RunGroup group;
    QCOMPARE(group.add(promise.future(), QStringLiteral("job")), 0);
    QCOMPARE(group.actorName(0), QStringLiteral("job"));
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    QVERIFY(group.isRunning());
    // The future is still running: the group is too, until it finishes.
    QTest::qWait(20);
    QVERIFY(finished.isEmpty());

    if (how == QLatin1String("result")) {
        promise.addResult(42);
    } else if (how == QLatin1String("exception")) {
        promise.setException(std::make_exception_ptr(std::runtime_error("boom")));
    } else {
        promise.future().cancel();
    }
    promise.finish();
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finishedError(finished), expected);
    QCOMPARE(group.errors().value(0), expected);
    if (how == QLatin1String("exception")) {
        // The stored exception itself, rethrowable as its own type.
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 std::rethrow_exception(group.error().exception()));
    }
}

void tst_Future::futureFromQtConcurrent()
{
    std::atomic<bool> ran{false};
    RunGroup group;
    group.add(QtConcurrent::run([&ran] {
        ran = true;
        return 7;
    }));
    QCOMPARE(runToEnd(group), RunError());
    QVERIFY(ran);
}

void tst_Future::futureExceptionFromQtConcurrent()
{
    RunGroup group;
    // QtConcurrent wraps a non-QException in QUnhandledException: the actor unwraps it.
    group.add(QtConcurrent::run([]() -> int { throw std::runtime_error("concurrent boom"); }));
    const RunError error = runToEnd(group);
    QCOMPARE(error.kind(), RunError::Kind::Exception);
    QCOMPARE(error.message(), QStringLiteral("concurrent boom"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, std::rethrow_exception(error.exception()));
}

void tst_Future::futureInterruptCancelsPromise()
{
    // The job polls its QPromise; another actor's failure ends the run, the interrupt
    // cancels the future, the job sees it and returns, and the actor exits canceled.
    std::atomic<bool> sawCancel{false};
    auto gate = std::make_shared<Gate>();
    RunGroup group;
    QCOMPARE(group.add(QtConcurrent::run([&sawCancel, gate](QPromise<void> &promise) {
        gate->open();
        QDeadlineTimer deadline(kTimeout);
        while (!promise.isCanceled() && !deadline.hasExpired())
            std::this_thread::sleep_for(1ms);
        sawCancel = promise.isCanceled();
    })),
             0);
    group.add([gate] {
        gate->wait();
        return RunError::failure(QStringLiteral("other failed"));
    });
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("other failed")));
    QVERIFY(sawCancel);
    QCOMPARE(group.errors().value(0).kind(), RunError::Kind::Canceled);
}

void tst_Future::futureFinishedBeforeStart_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<RunError>("expected");
    QTest::addRow("result") << QStringLiteral("result") << RunError();
    QTest::addRow("exception") << QStringLiteral("exception")
                               << RunError::fromException(
                                      std::make_exception_ptr(std::runtime_error("early")));
    QTest::addRow("canceled") << QStringLiteral("canceled")
                              << RunError::canceled(QStringLiteral(
                                     "RunGroup: The future was canceled before the run started"));
    QTest::addRow("default-constructed")
        << QStringLiteral("default")
        << RunError::canceled(
               QStringLiteral("RunGroup: The future was canceled before the run started"));
}

void tst_Future::futureFinishedBeforeStart()
{
    // Accepted (a fast job may well finish before start()), and its actor exits as soon as
    // the run starts with the future's outcome, in every run.
    QFETCH(QString, how);
    QFETCH(RunError, expected);
    QFuture<int> future;
    if (how != QLatin1String("default")) {
        QPromise<int> promise;
        future = promise.future();
        promise.start();
        if (how == QLatin1String("exception"))
            promise.setException(std::make_exception_ptr(std::runtime_error("early")));
        else if (how == QLatin1String("canceled"))
            future.cancel();
        else
            promise.addResult(1);
        promise.finish();
    }
    QVERIFY(future.isFinished());

    RunGroup group;
    QCOMPARE(group.add(future), 0);
    auto gate = std::make_shared<Gate>();
    group.add([gate] { gate->wait(); }, [gate] { gate->open(); });
    for (int run = 0; run < 2; ++run) {
        QCOMPARE(runToEnd(group), expected);
        QCOMPARE(group.errors().value(0), expected);
    }
}

void tst_Future::futureAddWhileRunning()
{
    RunGroup group;
    auto gate = std::make_shared<Gate>();
    group.add([gate] { gate->wait(); }, [gate] { gate->open(); });
    group.start();
    const auto stop = qScopeGuard([&] {
        QSignalSpy finished(&group, &RunGroup::finished);
        group.stop();
        finished.wait(kTimeout);
    });
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::add: Cannot add an actor while the group is running");
    QPromise<void> promise;
    QCOMPARE(group.add(promise.future()), -1);
    QCOMPARE(group.count(), 1);
}

QTEST_GUILESS_MAIN(tst_Future)
#include "tst_future.moc"
