// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Threaded actors, add(): what execute returns or throws, the forms of interrupt, the
// callables accepted, adding while running or from another thread, and a thread that
// cannot be created.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "emitter.h"
#include "interruptlog.h"
#include "messagecapture.h"
#include "rungrouptest.h"
#include "rungrouptestcase.h"
#include "sparesignal.h"
#include "testseams_p.h"
#include "testsync.h"

class tst_ThreadActor : public RunGroupTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void executeResult_data();
    void executeResult();
    void executeRunsOnOwnThread();
    void addInterruptForms_data();
    void addInterruptForms();
    void addEmptyExecute();
    void addMoveOnlyCallable();
    void addWhileRunning_data();
    void addWhileRunning();
    void useFromAnotherThread_data();
    void useFromAnotherThread();
    void addThreadCannotStart();
};

namespace {
enum class ExecuteMode {
    ReturnsError,
    ReturnsNoError,
    ReturnsVoid,
    ThrowsStd,
    ThrowsOther,
    VoidThrows
};

class DiskFullError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};
} // namespace

void tst_ThreadActor::executeResult_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<RunError>("expected");
    QTest::addRow("returns RunError") << int(ExecuteMode::ReturnsError) << failure("x");
    QTest::addRow("returns no error") << int(ExecuteMode::ReturnsNoError) << RunError();
    QTest::addRow("returns void") << int(ExecuteMode::ReturnsVoid) << RunError();
    QTest::addRow("throws std::exception")
        << int(ExecuteMode::ThrowsStd)
        << RunError::fromException(std::make_exception_ptr(std::runtime_error("disk full")));
    QTest::addRow("throws something else")
        << int(ExecuteMode::ThrowsOther) << RunError::fromException(std::make_exception_ptr(42));
    QTest::addRow("void, throws") << int(ExecuteMode::VoidThrows)
                                  << RunError::fromException(
                                         std::make_exception_ptr(std::runtime_error("void boom")));
}

// execute may return RunError or void; throwing ends the actor with Kind::Exception.
void tst_ThreadActor::executeResult()
{
    QFETCH(int, mode);
    QFETCH(RunError, expected);

    auto ran = std::make_shared<std::atomic<bool>>(false);
    RunGroup group;
    switch (ExecuteMode(mode)) {
    case ExecuteMode::ReturnsError: group.add([] { return failure("x"); }); break;
    case ExecuteMode::ReturnsNoError: group.add([] { return RunError(); }); break;
    case ExecuteMode::ReturnsVoid: group.add([ran] { *ran = true; }); break;
    case ExecuteMode::ThrowsStd:
        group.add([]() -> RunError { throw DiskFullError("disk full"); });
        break;
    case ExecuteMode::ThrowsOther: group.add([]() -> RunError { throw 42; }); break;
    case ExecuteMode::VoidThrows: group.add([]() { throw std::runtime_error("void boom"); }); break;
    }
    QCOMPARE(group.count(), 1);
    QSignalSpy exited(&group, &RunGroup::actorExited);

    const RunError result = group.run();
    QCOMPARE(result, expected);
    QCOMPARE(result.kind(), expected.kind());
    QCOMPARE(exited.count(), 1);
    QCOMPARE(exited.at(0).at(0).toInt(), 0);
    QCOMPARE(errorAt(exited, 0, 1), expected);
    QCOMPARE(group.errors().at(0), expected);
    if (ExecuteMode(mode) == ExecuteMode::ReturnsVoid)
        QVERIFY(ran->load());
    if (ExecuteMode(mode) == ExecuteMode::ThrowsStd) {
        // The original exception is kept: rethrowing gives back its type.
        bool caught = false;
        try {
            std::rethrow_exception(result.exception());
        } catch (const DiskFullError &) {
            caught = true;
        } catch (...) {
        }
        QVERIFY(caught);
    }
}

// Each execute runs on a QThread of its own, named after the actor, concurrently.
void tst_ThreadActor::executeRunsOnOwnThread()
{
    struct Seen
    {
        std::mutex mutex;
        QList<QThread *> threads = QList<QThread *>(3, nullptr);
        QStringList names = QStringList(3, QString());
    };
    auto seen = std::make_shared<Seen>();
    auto barrier = std::make_shared<Latch>(3);
    const QStringList names = {QStringLiteral("alpha"), QStringLiteral("beta"), QString()};

    RunGroup group;
    for (int i = 0; i < 3; ++i) {
        const int index = group.add(
            [seen, barrier, i] {
                {
                    std::lock_guard<std::mutex> lock(seen->mutex);
                    seen->threads[i] = QThread::currentThread();
                    seen->names[i] = QThread::currentThread()->objectName();
                }
                return barrier->arriveAndWait() ? RunError()
                                                : failure("actors did not run concurrently");
            },
            {}, nullptr, names.at(i));
        QCOMPARE(index, i);
    }
    QCOMPARE(group.actorName(0), QStringLiteral("alpha"));

    QCOMPARE(group.run(), RunError());
    QCOMPARE(group.errors(), QList<RunError>(3, RunError()));

    std::lock_guard<std::mutex> lock(seen->mutex);
    for (int i = 0; i < 3; ++i) {
        QThread *thread = seen->threads.at(i);
        QVERIFY(thread);
        QVERIFY(thread != group.thread());
        QVERIFY(thread != QCoreApplication::instance()->thread());
        for (int j = 0; j < i; ++j)
            QVERIFY(thread != seen->threads.at(j));
    }
    QCOMPARE(seen->names.at(0), QStringLiteral("alpha"));
    QCOMPARE(seen->names.at(1), QStringLiteral("beta"));
}

namespace {
enum class InterruptForm { WithError, NoArguments, EmptyFunction, Nullptr, Omitted };
} // namespace

void tst_ThreadActor::addInterruptForms_data()
{
    QTest::addColumn<int>("form");
    QTest::addRow("(const RunError &)") << int(InterruptForm::WithError);
    QTest::addRow("()") << int(InterruptForm::NoArguments);
    QTest::addRow("empty std::function") << int(InterruptForm::EmptyFunction);
    QTest::addRow("nullptr") << int(InterruptForm::Nullptr);
    QTest::addRow("omitted") << int(InterruptForm::Omitted);
}

// interrupt may take the error, nothing, or be empty; an actor without one still sees
// requestInterruption() on its thread.
void tst_ThreadActor::addInterruptForms()
{
    QFETCH(int, form);
    auto log = std::make_shared<InterruptLog>();
    auto gate = std::make_shared<Gate>();
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    int index = -1;
    switch (InterruptForm(form)) {
    case InterruptForm::WithError: index = group.add(&pollInterruption, recordInto(log, 0)); break;
    case InterruptForm::NoArguments:
        index = group.add(&pollInterruption, [log] { log->record(0, RunError()); });
        break;
    case InterruptForm::EmptyFunction:
        index = group.add(&pollInterruption, std::function<void(const RunError &)>());
        break;
    case InterruptForm::Nullptr: index = group.add(&pollInterruption, nullptr); break;
    case InterruptForm::Omitted: index = group.add(&pollInterruption); break;
    }
    QCOMPARE(index, 0);
    QCOMPARE(group.add(waitFor(gate, failure("first"))), 1);
    QSignalSpy finished(&group, &RunGroup::finished);

    group.start();
    gate->open();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(errorAt(finished, 0, 0), failure("first"));
    QCOMPARE(group.errors().at(0), RunError());
    switch (InterruptForm(form)) {
    case InterruptForm::WithError:
        QTRY_COMPARE_WITH_TIMEOUT(log->count(), 1, kTimeout);
        QCOMPARE(log->calls().front().error, failure("first"));
        break;
    case InterruptForm::NoArguments: QTRY_COMPARE_WITH_TIMEOUT(log->count(), 1, kTimeout); break;
    default: break;
    }
}

void tst_ThreadActor::addEmptyExecute()
{
    RunGroup group;
    QSignalSpy countChanged(&group, &RunGroup::countChanged);
    const char *warning = "RunGroup::add: execute is empty";

    QTest::ignoreMessage(QtWarningMsg, warning);
    QCOMPARE(group.add(std::function<RunError()>()), -1);
    QTest::ignoreMessage(QtWarningMsg, warning);
    QCOMPARE(group.add(nullptr), -1);
    QTest::ignoreMessage(QtWarningMsg, warning);
    QCOMPARE(group.add(std::function<void()>()), -1);
    RunError (*nullFunction)() = nullptr;
    QTest::ignoreMessage(QtWarningMsg, warning);
    QCOMPARE(group.add(nullFunction), -1);
    QTest::ignoreMessage(QtWarningMsg, warning);
    QCOMPARE(group.add(std::function<RunError()>(), [](const RunError &) {}), -1);

    QCOMPARE(group.count(), 0);
    QCOMPARE(countChanged.count(), 0);
    // Refused adds take no index.
    QCOMPARE(group.add([] { return RunError(); }), 0);
    QCOMPARE(group.count(), 1);
}

void tst_ThreadActor::addMoveOnlyCallable()
{
    RunGroup group;
    auto payload = std::make_unique<int>(7);
    auto interruptPayload = std::make_unique<int>(8);
    QCOMPARE(group.add([p = std::move(payload)] { return *p == 7 ? failure("seven") : RunError(); },
                       [p = std::move(interruptPayload)](const RunError &) { Q_UNUSED(p); }),
             0);
    QCOMPARE(group.run(), failure("seven"));
}

void tst_ThreadActor::addWhileRunning_data()
{
    QTest::addColumn<bool>("interrupting");
    QTest::addRow("running") << false;
    QTest::addRow("interrupting") << true;
}

// add*() while the group is not idle or finished: -1, a warning, nothing changes.
void tst_ThreadActor::addWhileRunning()
{
    QFETCH(bool, interrupting);
    Emitter emitter;
    auto gate = std::make_shared<Gate>();
    auto called = std::make_shared<std::atomic<bool>>(false);
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
    QSignalSpy countChanged(&group, &RunGroup::countChanged);
    QSignalSpy finished(&group, &RunGroup::finished);

    group.start();
    if (interrupting) {
        group.stop();
        // The interrupt is queued: the actor is still running.
        QCOMPARE(group.state(), RunGroup::State::Interrupting);
    }

    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::add: Cannot add an actor while the group is running");
    QCOMPARE(group.add([called] { *called = true; }), -1);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addObject: Cannot add an actor while the group is running");
    QCOMPARE(group.addObject(&emitter, &Emitter::exitPlain), -1);
    QTest::ignoreMessage(
        QtWarningMsg, "RunGroup::addSignalHandler: Cannot add an actor while the group is running");
    QCOMPARE(group.addSignalHandler({kSpareSignal}), -1);
    QCOMPARE(group.count(), 1);
    QCOMPARE(countChanged.count(), 0);

    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(group.errors().size(), 1);
    QVERIFY(!called->load());

    // Finished: adding works again.
    QCOMPARE(group.add([] {}), 1);
    QCOMPARE(group.count(), 2);
}

void tst_ThreadActor::useFromAnotherThread_data()
{
    QTest::addColumn<bool>("useQThread");
    QTest::addRow("std::thread") << false;
    QTest::addRow("QThread") << true;
}

// A group is used from its own thread; elsewhere: a warning, no effect, never a crash.
void tst_ThreadActor::useFromAnotherThread()
{
    QFETCH(bool, useQThread);
    const auto onOtherThread = [useQThread](std::function<void()> f) {
        if (useQThread) {
            std::unique_ptr<QThread> thread(QThread::create(f));
            thread->start();
            thread->wait();
        } else {
            std::thread(f).join();
        }
    };

    Emitter emitter;
    auto gate = std::make_shared<Gate>();
    auto called = std::make_shared<std::atomic<bool>>(false);
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
    QSignalSpy started(&group, &RunGroup::started);
    QSignalSpy finished(&group, &RunGroup::finished);

    struct Results
    {
        int add = 0;
        int addObject = 0;
        int addSignalHandler = 0;
        RunError run = failure("run() was not called");
    } results;
    QStringList messages;
    {
        MessageCapture capture;
        onOtherThread([&] {
            results.add = group.add([called] { *called = true; });
            results.addObject = group.addObject(&emitter, &Emitter::exitPlain);
            results.addSignalHandler = group.addSignalHandler({kSpareSignal});
            group.start();
            group.setRunning(true);
            group.setShutdownTimeout(5);
            results.run = group.run();
        });
        messages = capture.messages();
    }
    QCOMPARE(results.add, -1);
    QCOMPARE(results.addObject, -1);
    QCOMPARE(results.addSignalHandler, -1);
    QCOMPARE(results.run, RunError());
    QCOMPARE(group.count(), 1);
    QCOMPARE(group.state(), RunGroup::State::Idle);
    QCOMPARE(group.shutdownTimeout(), 0);
    QCOMPARE(started.count(), 0);
    QCOMPARE(
        messages,
        QStringList(
            {QStringLiteral("RunGroup::add: Must be called from the group's thread"),
             QStringLiteral("RunGroup::addObject: Must be called from the group's thread"),
             QStringLiteral("RunGroup::addSignalHandler: Must be called from the group's thread"),
             QStringLiteral("RunGroup::start: Must be called from the group's thread"),
             QStringLiteral("RunGroup::setRunning: Must be called from the group's thread"),
             QStringLiteral("RunGroup::setShutdownTimeout: Must be called from the group's thread"),
             QStringLiteral("RunGroup::run: Must be called from the group's thread")}));

    // Running: stopping from elsewhere has no effect either.
    group.start();
    QCOMPARE(group.state(), RunGroup::State::Running);
    {
        MessageCapture capture;
        onOtherThread([&] {
            group.stop(failure("from elsewhere"));
            group.setRunning(false);
        });
        messages = capture.messages();
    }
    QCOMPARE(messages,
             QStringList(
                 {QStringLiteral("RunGroup::stop: Must be called from the group's thread"),
                  QStringLiteral("RunGroup::setRunning: Must be called from the group's thread")}));
    QCoreApplication::processEvents();
    QCOMPARE(group.state(), RunGroup::State::Running);
    QVERIFY(!gate->isOpen());

    group.stop(failure("here"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(errorAt(finished, 0, 0), failure("here"));
    QVERIFY(!called->load());
}

void tst_ThreadActor::addThreadCannotStart()
{
    // The system refuses the first actor's thread (as under ulimit -u): it exits with the
    // thread error, the threaded actors after it never start, the others are interrupted,
    // and the run finishes.
    const int limit = RunGroup::idleThreadLimit();
    RunGroup::setIdleThreadLimit(0); // no parked thread to reuse: each actor needs a new one
    RunGroupTesting::failThreadCreations(1, EAGAIN);
    const auto restore = qScopeGuard([limit] {
        RunGroupTesting::failThreadCreations(0, 0);
        RunGroup::setIdleThreadLimit(limit);
    });
    std::atomic<int> executed{0};
    RunGroup group;
    group.add([&executed] { ++executed; });
    group.add([&executed] { ++executed; });
    QTimer timer; // an event-driven actor that exits when interrupted
    timer.setSingleShot(true);
    int interrupted = 0;
    QCOMPARE(group.addObject(&timer, &QTimer::timeout,
                             [&] {
                                 ++interrupted;
                                 timer.start(0);
                             }),
             2);
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(interrupted, 1);
    const RunError expected =
        RunError::failure(QStringLiteral("RunGroup: Cannot start a thread for actor 0: ")
                          + QString::fromLocal8Bit(std::strerror(EAGAIN)));
    QCOMPARE(group.errors().value(0), expected);
    QCOMPARE(group.errors().value(1).kind(), RunError::Kind::Canceled);
    QVERIFY(group.errors().value(1).message().contains(
        QStringLiteral("a thread could not be created for an earlier one")));
    QCOMPARE(group.errors().value(2), RunError());
    QCOMPARE(errorAt(finished, 0, 0), expected);
    QCOMPARE(executed.load(), 0);
}

QTEST_GUILESS_MAIN(tst_ThreadActor)
#include "tst_threadactor.moc"
