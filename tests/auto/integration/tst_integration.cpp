// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The ready-made actors for Qt's own long-running things: futures (QPromise,
// QtConcurrent::run), child processes, deadlines and nested groups.

#include <RunGroup/RunGroup>

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QFuture>
#include <QtCore/QProcess>
#include <QtCore/QPromise>
#include <QtCore/QScopeGuard>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "testseams_p.h"
#include "testsync.h"

using namespace std::chrono_literals;

// Every wait is bounded by this and never asserted on.
constexpr int kTimeout = 60000;

char *toString(const RunError &error)
{
    return QTest::toString(error.toString());
}

namespace {

RunError finishedError(const QSignalSpy &spy)
{
    return spy.isEmpty() ? RunError::failure(QStringLiteral("finished() was not emitted"))
                         : spy.first().first().value<RunError>();
}

// Runs group until finished, or gives up after kTimeout; returns its error.
RunError runToEnd(RunGroup &group)
{
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    if (!finished.wait(kTimeout))
        group.stop(RunError::failure(QStringLiteral("test timeout")));
    if (finished.isEmpty())
        finished.wait(kTimeout);
    return finishedError(finished);
}

} // namespace

class tst_Integration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // futures
    void futureOutcome_data();
    void futureOutcome();
    void futureFromQtConcurrent();
    void futureExceptionFromQtConcurrent();
    void futureInterruptCancelsPromise();
    void futureFinishedBeforeStart_data();
    void futureFinishedBeforeStart();
    void futureAddWhileRunning();

    // deadlines
    void timeoutEndsRun();
    void timeoutInterrupted();
    void timeoutRestartsEachRun();
    void timeoutInvalid_data();
    void timeoutInvalid();
    void timeoutBeyondIntRange_data();
    void timeoutBeyondIntRange();
    void timeoutWaitsInSteps();
    void secondSignalExitsProperty();
    void timeoutOnMovedGroup();

    // nested groups
    void groupStartsAndStopsWithParent();
    void groupErrorEndsParent();
    void groupStagedShutdown();
    void groupDestroyedWhileRunning();
    void groupRunningWhenParentStarts();
    void groupBadInput();

    // worker event-loop threads
    void workerHostsTcpServer();
    void workerInterruptRunsOnWorkerThread();
    void workerDeletesObjects();
    void workerBadInput();
    void workerThreadCannotStart_data();
    void workerThreadCannotStart();
    void exitWorkerElsewhere();

    // processes: last, because Qt 6.4's QProcess starts children with vfork semantics,
    // which ThreadSanitizer cannot follow: its state after the first child would report
    // false races (and refuse new threads) in the tests that come after.
    void processExit_data();
    void processExit();
    void processCannotStart();
    void processInterruptTerminates();
    void processKilledAfterGracePeriod();
    void processConfiguredByCaller();
    void processRestartsEachRun();
    void processBadInput();
};

// ---------------------------------------------------------------------------------------
// Futures

void tst_Integration::futureOutcome_data()
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

void tst_Integration::futureOutcome()
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

void tst_Integration::futureFromQtConcurrent()
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

void tst_Integration::futureExceptionFromQtConcurrent()
{
    RunGroup group;
    // QtConcurrent wraps a non-QException in QUnhandledException: the actor unwraps it.
    group.add(QtConcurrent::run([]() -> int { throw std::runtime_error("concurrent boom"); }));
    const RunError error = runToEnd(group);
    QCOMPARE(error.kind(), RunError::Kind::Exception);
    QCOMPARE(error.message(), QStringLiteral("concurrent boom"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, std::rethrow_exception(error.exception()));
}

void tst_Integration::futureInterruptCancelsPromise()
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

void tst_Integration::futureFinishedBeforeStart_data()
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

void tst_Integration::futureFinishedBeforeStart()
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

void tst_Integration::futureAddWhileRunning()
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

// ---------------------------------------------------------------------------------------
// Processes

void tst_Integration::processExit_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<RunError>("expected");
    QTest::addRow("exit 0") << QStringLiteral("exit 0") << RunError();
    QTest::addRow("exit 3 with stderr")
        << QStringLiteral("echo first line >&2; echo oops >&2; exit 3")
        << RunError::failure(
               QStringLiteral("RunGroup: Process /bin/sh exited with code 3; stderr: first "
                              "line\noops"));
    QTest::addRow("crash") << QStringLiteral("kill -SEGV $$")
                           << RunError::failure(
                                  QStringLiteral("RunGroup: Process /bin/sh crashed (signal 11)"));
}

void tst_Integration::processExit()
{
    QFETCH(QString, script);
    QFETCH(RunError, expected);
    RunGroup group;
    QCOMPARE(group.addProcess(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script}), 0);
    QCOMPARE(group.actorName(0), QStringLiteral("sh"));
    QCOMPARE(runToEnd(group), expected);
}

void tst_Integration::processCannotStart()
{
    // A failure with the OS's reason, never a hang.
    RunGroup group;
    const QString program = QStringLiteral("/nonexistent/rungroup-no-such-program");
    QCOMPARE(group.addProcess(program, {}, QStringLiteral("missing")), 0);
    auto gate = std::make_shared<Gate>();
    group.add([gate] { gate->wait(); }, [gate] { gate->open(); });
    const RunError error = runToEnd(group);
    QCOMPARE(error.kind(), RunError::Kind::Failure);
    const QString prefix = QStringLiteral("RunGroup: Cannot start process %1: ").arg(program);
    QVERIFY2(error.message().startsWith(prefix), qPrintable(error.message()));
    QVERIFY2(error.message().size() > prefix.size(), qPrintable(error.message()));
    QCOMPARE(group.errors().value(1), RunError());
}

void tst_Integration::processInterruptTerminates()
{
    // Another actor ends the run; the interrupt terminates the process, which counts as
    // doing what it was asked: no error of its own.
    RunGroup group;
    group.addProcess(QStringLiteral("/bin/sleep"), {QStringLiteral("600")});
    group.add([] { return RunError::failure(QStringLiteral("done")); });
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("done")));
    QCOMPARE(group.errors().value(0), RunError());
}

void tst_Integration::processKilledAfterGracePeriod()
{
    // The process ignores SIGTERM (sleep inherits the ignored disposition through exec).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ready = dir.filePath(QStringLiteral("ready"));
    RunGroup group;
    group.addProcess(
        QStringLiteral("/bin/sh"),
        {QStringLiteral("-c"), QStringLiteral("trap '' TERM; touch \"$0\"; exec sleep 600"), ready},
        QStringLiteral("stubborn"), 100);
    group.add([ready] {
        QDeadlineTimer deadline(kTimeout);
        while (!QFileInfo::exists(ready) && !deadline.hasExpired())
            std::this_thread::sleep_for(1ms);
        return RunError::failure(QStringLiteral("done"));
    });
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("done")));
    QCOMPARE(group.errors().value(0),
             RunError::timeout(QStringLiteral("RunGroup: Process /bin/sh did not exit within "
                                              "100 ms of being terminated and was killed")));
}

void tst_Integration::processConfiguredByCaller()
{
    QProcess process;
    process.setProgram(QStringLiteral("/bin/sh"));
    process.setArguments(
        {QStringLiteral("-c"), QStringLiteral("test \"$RUNGROUP_TEST\" = yes || exit 4")});
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("RUNGROUP_TEST"), QStringLiteral("yes"));
    process.setProcessEnvironment(environment);
    RunGroup group;
    QCOMPARE(group.addProcess(&process, QStringLiteral("configured")), 0);
    QCOMPARE(runToEnd(group), RunError());
    QCOMPARE(process.exitCode(), 0);

    environment.insert(QStringLiteral("RUNGROUP_TEST"), QStringLiteral("no"));
    process.setProcessEnvironment(environment);
    QCOMPARE(runToEnd(group),
             RunError::failure(QStringLiteral("RunGroup: Process /bin/sh exited with code 4")));
}

void tst_Integration::processRestartsEachRun()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("log"));
    RunGroup group;
    group.addProcess(QStringLiteral("/bin/sh"),
                     {QStringLiteral("-c"), QStringLiteral("echo run >> \"$0\""), log});
    QCOMPARE(runToEnd(group), RunError());
    QCOMPARE(runToEnd(group), RunError());
    QFile file(log);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("run\nrun\n"));
}

void tst_Integration::processBadInput()
{
    RunGroup group;
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addProcess: The program is empty");
    QCOMPARE(group.addProcess(QString()), -1);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addProcess: The process is null");
    QCOMPARE(group.addProcess(static_cast<QProcess *>(nullptr)), -1);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addProcess: The kill timeout must not be negative");
    QCOMPARE(group.addProcess(QStringLiteral("/bin/true"), {}, {}, -1), -1);

    QProcess running;
    running.start(QStringLiteral("/bin/sleep"), {QStringLiteral("600")});
    QVERIFY(running.waitForStarted(kTimeout));
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addProcess: The process is already running");
    QCOMPARE(group.addProcess(&running), -1);
    running.kill();
    running.waitForFinished(kTimeout);

    QThread other;
    QProcess elsewhere;
    elsewhere.moveToThread(&other);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addProcess: The process must live on the group's thread");
    QCOMPARE(group.addProcess(&elsewhere), -1);
    QCOMPARE(group.count(), 0);
}

// ---------------------------------------------------------------------------------------
// Deadlines

void tst_Integration::timeoutEndsRun()
{
    RunGroup group;
    QCOMPARE(group.addTimeout(50ms), 0);
    QCOMPARE(group.actorName(0), QStringLiteral("timeout"));
    auto gate = std::make_shared<Gate>();
    group.add([gate] { gate->wait(); }, [gate] { gate->open(); });
    const RunError error = runToEnd(group);
    QCOMPARE(error, RunError::timeout(QStringLiteral("RunGroup: The deadline of 50 ms passed")));
    QCOMPARE(group.errors().value(1), RunError());
}

void tst_Integration::timeoutInterrupted()
{
    RunGroup group;
    QCOMPARE(group.addTimeout(1h, QStringLiteral("deadline")), 0);
    QCOMPARE(group.actorName(0), QStringLiteral("deadline"));
    group.add([] { return RunError::failure(QStringLiteral("first")); });
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("first")));
    QCOMPARE(group.errors().value(0), RunError());
}

void tst_Integration::timeoutRestartsEachRun()
{
    RunGroup group;
    group.addTimeout(20);
    for (int run = 0; run < 2; ++run)
        QCOMPARE(runToEnd(group).kind(), RunError::Kind::Timeout);
}

void tst_Integration::timeoutInvalid_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addRow("zero") << qint64(0);
    QTest::addRow("negative") << qint64(-5);
    QTest::addRow("INT_MIN") << qint64(INT_MIN);
    QTest::addRow("milliseconds::min()") << qint64(std::chrono::milliseconds::min().count());
}

void tst_Integration::timeoutInvalid()
{
    QFETCH(qint64, ms);
    RunGroup group;
    const QByteArray warning = "RunGroup::addTimeout: The duration must be positive, not "
                               + QByteArray::number(ms) + " ms";
    if (ms >= INT_MIN) {
        QTest::ignoreMessage(QtWarningMsg, warning.constData());
        QCOMPARE(group.addTimeout(int(ms)), -1);
    }
    QTest::ignoreMessage(QtWarningMsg, warning.constData());
    QCOMPARE(group.addTimeout(std::chrono::milliseconds(ms)), -1);
    QCOMPARE(group.count(), 0);
}

void tst_Integration::timeoutBeyondIntRange_data()
{
    // Qt 6.4's timers take an int: these fired after 300 ms (2^32 + 300 truncated), or
    // never, with a warning about a negative interval.
    QTest::addColumn<qint64>("ms");
    QTest::addRow("INT_MAX + 1") << qint64(INT_MAX) + 1;
    QTest::addRow("2^32 + 300") << (qint64(1) << 32) + 300;
    QTest::addRow("UINT_MAX") << qint64(UINT_MAX);
    QTest::addRow("milliseconds::max()") << qint64(std::chrono::milliseconds::max().count());
}

void tst_Integration::timeoutBeyondIntRange()
{
    QFETCH(qint64, ms);
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    RunGroup group;
    QCOMPARE(group.addTimeout(std::chrono::milliseconds(ms)), 0);
    QSignalSpy exited(&group, &RunGroup::actorExited);
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    // The deadline is years away: it has not passed a second later.
    QVERIFY(!exited.wait(1000));
    group.stop();
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finishedError(finished), RunError::canceled());
    QCOMPARE(group.errors().value(0), RunError());
}

void tst_Integration::timeoutWaitsInSteps()
{
    // A deadline longer than a Qt timer can wait at once is waited for in steps; here the
    // steps are made short so that several pass: the deadline is neither early nor missed.
    RunGroupTesting::setLongTimerStep(20ms);
    const auto restore = qScopeGuard([] { RunGroupTesting::setLongTimerStep(0ms); });
    RunGroup group;
    QCOMPARE(group.addTimeout(150ms), 0);
    QElapsedTimer clock;
    clock.start();
    const RunError error = runToEnd(group);
    QVERIFY2(clock.elapsed() >= 150, QByteArray::number(clock.elapsed()).constData());
    QCOMPARE(error, RunError::timeout(QStringLiteral("RunGroup: The deadline of 150 ms passed")));
    // And a second run starts over.
    clock.start();
    QCOMPARE(runToEnd(group), error);
    QVERIFY2(clock.elapsed() >= 150, QByteArray::number(clock.elapsed()).constData());
}

void tst_Integration::timeoutOnMovedGroup()
{
    // A group moved to another thread takes its ready-made actors' objects along. The
    // thread starts after the move and results come back under a mutex, so every hand-over
    // is visible to ThreadSanitizer (Qt's own queue is not, in an uninstrumented Qt).
    QThread thread;
    auto *group = new RunGroup;
    group->addTimeout(20);
    group->moveToThread(&thread);
    std::mutex mutex;
    std::condition_variable done;
    std::optional<RunError> error; // guarded by mutex
    connect(&thread, &QThread::started, group, [&] {
        connect(group, &RunGroup::finished, group, [&](const RunError &e) {
            group->deleteLater();
            std::lock_guard<std::mutex> lock(mutex);
            error = e;
            done.notify_all();
        });
        group->start();
    });
    thread.start();
    const auto join = qScopeGuard([&thread] {
        thread.quit();
        thread.wait();
    });
    std::unique_lock<std::mutex> lock(mutex);
    QVERIFY(done.wait_for(lock, std::chrono::milliseconds(kTimeout), [&] { return bool(error); }));
    QCOMPARE(error->kind(), RunError::Kind::Timeout);
}

void tst_Integration::secondSignalExitsProperty()
{
    // The policy itself is tested with real signals in tst_signals.
    RunGroup group;
    QVERIFY(!group.secondSignalExits());
    group.setSecondSignalExits(true);
    QVERIFY(group.secondSignalExits());
    group.setSecondSignalExits(false);
    QVERIFY(!group.secondSignalExits());
}

// ---------------------------------------------------------------------------------------
// Nested groups

namespace {

// An actor that runs until interrupted, recording both moments in log.
class Recorder
{
public:
    void add(RunGroup &group, const QString &name)
    {
        auto gate = std::make_shared<Gate>();
        group.add(
            [this, gate, name] {
                gate->wait();
                record(name + QStringLiteral(" exited"));
            },
            [this, gate, name] {
                record(name + QStringLiteral(" interrupted"));
                gate->open();
            },
            nullptr, name);
    }
    void record(const QString &entry)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_log.append(entry);
    }
    QStringList log() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_log;
    }

private:
    mutable std::mutex m_mutex;
    QStringList m_log;
};

} // namespace

void tst_Integration::groupStartsAndStopsWithParent()
{
    Recorder recorder;
    RunGroup child;
    child.setObjectName(QStringLiteral("child"));
    recorder.add(child, QStringLiteral("inner"));
    RunGroup parent;
    QCOMPARE(parent.addGroup(&child), 0);
    QCOMPARE(parent.actorName(0), QStringLiteral("child"));
    QSignalSpy childFinished(&child, &RunGroup::finished);
    QSignalSpy parentFinished(&parent, &RunGroup::finished);
    parent.start();
    QVERIFY(child.isRunning());
    parent.stop(RunError::failure(QStringLiteral("reason")));
    QVERIFY(parentFinished.wait(kTimeout));
    // The child was stopped with the parent's reason, and reported it as its error.
    QCOMPARE(finishedError(childFinished), RunError::failure(QStringLiteral("reason")));
    QCOMPARE(parent.errors().value(0), RunError::failure(QStringLiteral("reason")));
    QCOMPARE(recorder.log(),
             QStringList({QStringLiteral("inner interrupted"), QStringLiteral("inner exited")}));
    QVERIFY(!child.isRunning());

    // Run again: the child runs again (its actor's gate is open now: it returns at once).
    parent.start();
    QVERIFY(parentFinished.wait(kTimeout));
    QCOMPARE(childFinished.size(), 2);
    QCOMPARE(parent.error(), RunError());
}

void tst_Integration::groupErrorEndsParent()
{
    Recorder recorder;
    RunGroup child;
    child.add([] { return RunError::failure(QStringLiteral("inner failed")); });
    RunGroup parent;
    parent.addGroup(&child, QStringLiteral("nested"));
    recorder.add(parent, QStringLiteral("sibling"));
    QCOMPARE(runToEnd(parent), RunError::failure(QStringLiteral("inner failed")));
    QCOMPARE(recorder.log(), QStringList({QStringLiteral("sibling interrupted"),
                                          QStringLiteral("sibling exited")}));
}

void tst_Integration::groupStagedShutdown()
{
    // The recipe of docs/integration.md: the back end (storage) is interrupted only once the
    // front stage (HTTP) has shut down completely.
    Recorder recorder;
    RunGroup front;
    recorder.add(front, QStringLiteral("http"));
    RunGroup back;
    recorder.add(back, QStringLiteral("storage"));
    // Two groups side by side would be interrupted at once; a stage is a group wrapping the
    // front, and the outer group stops the back end once that stage has finished.
    RunGroup service;
    service.addGroup(&front, QStringLiteral("front"));
    RunGroup outer;
    QCOMPARE(outer.addGroup(&service, QStringLiteral("service")), 0);
    QCOMPARE(outer.addGroup(&back, QStringLiteral("back")), 1);
    QSignalSpy finished(&outer, &RunGroup::finished);
    outer.start();
    service.stop(RunError::fromSignal(SIGTERM)); // what a signal-handler actor would do
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finishedError(finished), RunError::fromSignal(SIGTERM));
    QCOMPARE(
        recorder.log(),
        QStringList({QStringLiteral("http interrupted"), QStringLiteral("http exited"),
                     QStringLiteral("storage interrupted"), QStringLiteral("storage exited")}));
}

void tst_Integration::groupDestroyedWhileRunning()
{
    auto *child = new RunGroup;
    auto gate = std::make_shared<Gate>();
    child->add([gate] { gate->wait(); }, [gate] { gate->open(); });
    RunGroup parent;
    parent.addGroup(child);
    QSignalSpy finished(&parent, &RunGroup::finished);
    parent.start();
    delete child; // stops and joins the child, which finishes canceled
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finishedError(finished), RunError::canceled());
}

void tst_Integration::groupRunningWhenParentStarts()
{
    RunGroup child;
    child.setObjectName(QStringLiteral("child"));
    auto gate = std::make_shared<Gate>();
    child.add([gate] { gate->wait(); }, [gate] { gate->open(); });
    RunGroup parent;
    parent.addGroup(&child);
    child.start(); // started behind the parent's back
    QCOMPARE(runToEnd(parent),
             RunError::failure(QStringLiteral("RunGroup: The nested group child was already "
                                              "running")));
    QSignalSpy childFinished(&child, &RunGroup::finished);
    child.stop();
    QVERIFY(childFinished.wait(kTimeout));
}

void tst_Integration::groupBadInput()
{
    RunGroup a;
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addGroup: The group is null");
    QCOMPARE(a.addGroup(nullptr), -1);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addGroup: Cannot add a group to itself");
    QCOMPARE(a.addGroup(&a), -1);

    // A cycle, direct and through a third group.
    RunGroup b;
    RunGroup c;
    QCOMPARE(a.addGroup(&b), 0);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addGroup: The nested group contains this group: that is a "
                         "cycle");
    QCOMPARE(b.addGroup(&a), -1);
    QCOMPARE(b.addGroup(&c), 0);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addGroup: The nested group contains this group: that is a "
                         "cycle");
    QCOMPARE(c.addGroup(&a), -1);

    // Already running.
    RunGroup running;
    auto gate = std::make_shared<Gate>();
    running.add([gate] { gate->wait(); }, [gate] { gate->open(); });
    running.start();
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addGroup: The nested group is already running");
    QCOMPARE(a.addGroup(&running), -1);
    QSignalSpy finished(&running, &RunGroup::finished);
    running.stop();
    QVERIFY(finished.wait(kTimeout));

    // Another thread.
    QThread other;
    RunGroup elsewhere;
    elsewhere.moveToThread(&other);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addGroup: The nested group must live on this group's thread");
    QCOMPARE(a.addGroup(&elsewhere), -1);
    QCOMPARE(a.count(), 1);
    QCOMPARE(c.count(), 0);
}

// ---------------------------------------------------------------------------------------
// Worker event-loop threads

namespace {

// A line server: "ping" gets "pong <name of the thread that answered>"; "fail <text>" makes
// it emit failed(text), which the test connects to RunGroup::exitWorker().
class LineServer : public QTcpServer
{
    Q_OBJECT
public:
    LineServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = nextPendingConnection()) {
                connect(client, &QTcpSocket::readyRead, client, [this, client] {
                    while (client->canReadLine()) {
                        const QByteArray line = client->readLine().trimmed();
                        if (line == "ping")
                            client->write("pong " + QThread::currentThread()->objectName().toUtf8()
                                          + "\n");
                        else if (line.startsWith("fail "))
                            Q_EMIT failed(QString::fromUtf8(line.mid(5)));
                    }
                });
                connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            }
        });
    }

Q_SIGNALS:
    void failed(const QString &reason);
};

// Reads one line from client, processing this thread's events meanwhile.
QByteArray readLine(QTcpSocket &client)
{
    if (!QTest::qWaitFor([&client] { return client.canReadLine(); }, kTimeout))
        return QByteArray("(no line)");
    return client.readLine().trimmed();
}

} // namespace

void tst_Integration::workerHostsTcpServer()
{
    LineServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    // An object ends the actor with an error by a signal.
    connect(&server, &LineServer::failed, &server,
            [](const QString &reason) { RunGroup::exitWorker(RunError::failure(reason)); });
    std::atomic<bool> interruptedOnWorker{false};
    RunGroup group;
    QCOMPARE(group.addWorkerThread(
                 {&server},
                 [&server, &interruptedOnWorker] {
                     interruptedOnWorker = QThread::currentThread() == server.thread()
                                           && server.thread() != qApp->thread();
                     server.close();
                 },
                 QStringLiteral("net")),
             0);
    QCOMPARE(group.actorName(0), QStringLiteral("net"));
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();

    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(client.waitForConnected(kTimeout));
    client.write("ping\n");
    QCOMPARE(readLine(client), QByteArray("pong net")); // answered on the worker thread
    client.write("fail disk on fire\n");
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finishedError(finished), RunError::failure(QStringLiteral("disk on fire")));

    // The loop had ended before the interrupt: it ran here, with the server back home.
    QCOMPARE(server.thread(), QThread::currentThread());
    QVERIFY(!interruptedOnWorker);
    QVERIFY(!server.isListening());
}

void tst_Integration::workerInterruptRunsOnWorkerThread()
{
    // The interrupt is the objects' chance to clean up on their thread, before quit().
    LineServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QThread *interruptThread = nullptr;
    bool listeningAfterCleanup = true;
    RunGroup group;
    group.addWorkerThread({&server}, [&](const RunError &) {
        interruptThread = QThread::currentThread();
        server.close();
        listeningAfterCleanup = server.isListening();
    });
    QCOMPARE(group.actorName(0), QStringLiteral("worker"));
    for (int run = 0; run < 2; ++run) {
        QSignalSpy finished(&group, &RunGroup::finished);
        group.start();
        QVERIFY(server.thread() != QThread::currentThread());
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(client.waitForConnected(kTimeout));
        client.write("ping\n");
        QCOMPARE(readLine(client), QByteArray("pong worker"));
        group.stop();
        QVERIFY(finished.wait(kTimeout));
        QCOMPARE(finishedError(finished), RunError::canceled());
        QCOMPARE(group.errors().value(0), RunError());
        QVERIFY(interruptThread && interruptThread != QThread::currentThread());
        QVERIFY(!listeningAfterCleanup);
        QCOMPARE(server.thread(), QThread::currentThread());
        QVERIFY(server.listen(QHostAddress::LocalHost, 0)); // usable here again
    }
}

void tst_Integration::workerDeletesObjects()
{
    auto *object = new QObject;
    QPointer<QObject> guard(object);
    QThread *deletedOn = nullptr;
    connect(
        object, &QObject::destroyed, object, [&deletedOn] { deletedOn = QThread::currentThread(); },
        Qt::DirectConnection);
    RunGroup group;
    group.addWorkerThread({object}, {}, QStringLiteral("deleter"), RunGroup::WorkerObjects::Delete);
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    group.stop();
    QVERIFY(finished.wait(kTimeout));
    QVERIFY(!guard);
    QVERIFY(deletedOn && deletedOn != QThread::currentThread());
}

void tst_Integration::workerBadInput()
{
    RunGroup group;
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addWorkerThread: An object is null");
    QCOMPARE(group.addWorkerThread({nullptr}), -1);

    QObject parent;
    auto *child = new QObject(&parent);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addWorkerThread: The QObject has a parent; only objects "
                         "without one can move to another thread");
    QCOMPARE(group.addWorkerThread({child}), -1);

    QThread other;
    QTimer elsewhere;
    elsewhere.moveToThread(&other);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addWorkerThread: The QTimer does not live on the group's "
                         "thread");
    QCOMPARE(group.addWorkerThread({&elsewhere}), -1);

    QThread thread;
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addWorkerThread: The QThread cannot be hosted on a worker "
                         "thread");
    QCOMPARE(group.addWorkerThread({&thread}), -1);
    QCOMPARE(group.count(), 0);
}

void tst_Integration::workerThreadCannotStart_data()
{
    QTest::addColumn<RunGroup::WorkerObjects>("after");
    QTest::addRow("MoveBack") << RunGroup::WorkerObjects::MoveBack;
    QTest::addRow("Delete") << RunGroup::WorkerObjects::Delete;
}

void tst_Integration::workerThreadCannotStart()
{
    // The worker's thread cannot be created (as under ulimit -u, where QThread::start()
    // only prints a warning and never emits finished()): the worker exits with the thread
    // error and the run finishes; its objects never left this thread, where its interrupt
    // runs. It used to run forever, not even ended by a deadline.
    QFETCH(RunGroup::WorkerObjects, after);
    RunGroupTesting::failThreadCreations(1, EAGAIN);
    const auto restore = qScopeGuard([] { RunGroupTesting::failThreadCreations(0, 0); });
    auto *object = new QObject;
    QPointer<QObject> guard(object);
    const auto cleanup = qScopeGuard([guard] { delete guard.data(); });
    RunGroup group;
    int interrupts = 0;
    bool objectHereAtInterrupt = false;
    QCOMPARE(group.addWorkerThread(
                 {object},
                 [&] {
                     ++interrupts;
                     objectHereAtInterrupt = guard && guard->thread() == QThread::currentThread();
                 },
                 QStringLiteral("network"), after),
             0);
    QCOMPARE(group.addTimeout(1h), 1);
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    QVERIFY(finished.wait(10000));
    const RunError expected =
        RunError::failure(QStringLiteral("RunGroup: Cannot start a thread for worker network: ")
                          + QString::fromLocal8Bit(std::strerror(EAGAIN)));
    QCOMPARE(finishedError(finished), expected);
    QCOMPARE(group.errors().value(0), expected);
    QCOMPARE(group.errors().value(1), RunError());
    QCOMPARE(interrupts, 1);
    QVERIFY(objectHereAtInterrupt);
    if (after == RunGroup::WorkerObjects::Delete) {
        QVERIFY(!guard);
        return;
    }
    QVERIFY(guard);
    QCOMPARE(guard->thread(), QThread::currentThread());

    // With a thread to be had, the next run hosts the object on it as usual.
    QSignalSpy finishedAgain(&group, &RunGroup::finished);
    group.start();
    QTRY_VERIFY_WITH_TIMEOUT(guard->thread() != QThread::currentThread(), kTimeout);
    group.stop();
    QVERIFY(finishedAgain.wait(kTimeout));
    QCOMPARE(finishedError(finishedAgain), RunError::canceled());
    QCOMPARE(guard->thread(), QThread::currentThread());
    QCOMPARE(interrupts, 2);
}

void tst_Integration::exitWorkerElsewhere()
{
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::exitWorker: Must be called on a worker thread "
                                       "of addWorkerThread()");
    RunGroup::exitWorker(RunError::failure(QStringLiteral("nowhere")));
}

QTEST_GUILESS_MAIN(tst_Integration)
#include "tst_integration.moc"
