// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The group itself: runs of zero, one and many actors (oklog/run's tests), its
// properties and meta-object, its states and signals, and running it again.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QMap>
#include <QtCore/QMetaEnum>
#include <QtCore/QMetaProperty>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <array>
#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <csignal>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "emitter.h"
#include "grouplog.h"
#include "interruptlog.h"
#include "rungrouptest.h"
#include "rungrouptestcase.h"
#include "sparesignal.h"
#include "testsync.h"
#include "workerthread.h"

using namespace std::chrono_literals;

class tst_RunGroup : public RunGroupTestCase
{
    Q_OBJECT

private Q_SLOTS:
    // Ported from oklog/run: group_test.go and actors_test.go.
    void zero();
    void zeroRun();
    void one();
    void many();
    void contextHandler_data();
    void contextHandler();

    // API surface.
    void metaObject();
    void countProperty();
    void shutdownTimeoutProperty();
    void shutdownTimeoutChronoRange_data();
    void shutdownTimeoutChronoRange();

    // Signals and state.
    void signalsOnGroupThread();
    void groupOnWorkerThread();
    void stateTransitions_data();
    void stateTransitions();
    void finishedInvariants();
    void errorsFilledAsActorsExit();
    void runningProperty();
    void rerun();
};

// TestZero: an empty group starts and finishes with no error.
void tst_RunGroup::zero()
{
    RunGroup group;
    QCOMPARE(group.state(), RunGroup::State::Idle);
    QCOMPARE(group.count(), 0);
    QSignalSpy started(&group, &RunGroup::started);
    QSignalSpy finished(&group, &RunGroup::finished);
    QVERIFY(started.isValid());
    QVERIFY(finished.isValid());

    group.start();
    QCOMPARE(started.count(), 1);
    QCOMPARE(group.state(), RunGroup::State::Running);
    QVERIFY(group.isRunning());
    QCOMPARE(finished.count(), 0); // finished follows asynchronously

    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(errorAt(finished, 0, 0), RunError());
    QCOMPARE(started.count(), 1);
    QCOMPARE(group.state(), RunGroup::State::Finished);
    QVERIFY(!group.isRunning());
    QCOMPARE(group.error(), RunError());
    QVERIFY(group.errors().isEmpty());
}

// TestZero, with run().
void tst_RunGroup::zeroRun()
{
    RunGroup group;
    QSignalSpy started(&group, &RunGroup::started);
    QSignalSpy finished(&group, &RunGroup::finished);
    RunError result = failure("run() did not return");
    {
        Watchdog watchdog("RunGroup::run() of an empty group");
        result = group.run();
    }
    QCOMPARE(result, RunError());
    QCOMPARE(started.count(), 1);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(group.state(), RunGroup::State::Finished);
    QCOMPARE(group.error(), RunError());
}

// TestOne: one actor; run() returns its error and its interrupt gets it.
void tst_RunGroup::one()
{
    auto log = std::make_shared<InterruptLog>();
    RunGroup group;
    QCOMPARE(group.add([] { return failure("foobar"); }, recordInto(log, 0)), 0);
    GroupLog events(&group);

    QCOMPARE(group.run(), failure("foobar"));
    QCOMPARE(group.error(), failure("foobar"));
    QCOMPARE(group.errors(), QList<RunError>{failure("foobar")});
    const QString problem = events.checkRun(1);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_COMPARE_WITH_TIMEOUT(log->count(), 1, kTimeout);
    QCOMPARE(log->calls().front().error, failure("foobar"));
}

// TestMany: the first error wins and every actor is interrupted with it.
void tst_RunGroup::many()
{
    constexpr int kActors = 8;
    constexpr int kFirst = 5;
    auto log = std::make_shared<InterruptLog>();
    std::vector<std::shared_ptr<Gate>> gates;
    RunGroup group;
    auto release = qScopeGuard([&] {
        for (const auto &gate : gates)
            gate->open();
    });
    for (int i = 0; i < kActors; ++i) {
        if (i == kFirst) {
            QCOMPARE(group.add([] { return failure("interrupt"); }, recordInto(log, i)), i);
        } else {
            auto gate = std::make_shared<Gate>();
            gates.push_back(gate);
            QCOMPARE(group.add(waitFor(gate), recordAndOpen(log, i, gate)), i);
        }
    }
    QCOMPARE(group.count(), kActors);
    GroupLog events(&group);

    QCOMPARE(group.run(), failure("interrupt"));

    const QString problem = events.checkRun(kActors);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(events.exits().front().index, kFirst);
    QCOMPARE(events.finishedError(), failure("interrupt"));
    QTRY_COMPARE_WITH_TIMEOUT(log->count(), kActors, kTimeout);
    for (int i = 0; i < kActors; ++i)
        QCOMPARE(log->countFor(i), 1);
    for (const auto &call : log->calls())
        QCOMPARE(call.error, failure("interrupt"));
    for (int i = 0; i < kActors; ++i)
        QCOMPARE(group.errors().at(i), i == kFirst ? failure("interrupt") : RunError());
}

namespace {
// Port of oklog's ContextHandler: execute waits until the context is canceled and
// returns the cause; the interrupt cancels it.
class CancelContext
{
public:
    void cancel(const RunError &cause)
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (m_canceled)
                return;
            m_canceled = true;
            m_cause = cause;
        }
        m_cv.notify_all();
    }
    RunError done()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (!m_cv.wait_for(lock, std::chrono::milliseconds(kTimeout),
                           [this] { return m_canceled; }))
            return failure("the context was never canceled");
        return m_cause;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_canceled = false;
    RunError m_cause;
};
} // namespace

void tst_RunGroup::contextHandler_data()
{
    QTest::addColumn<bool>("cancelParent");
    QTest::addRow("parent canceled") << true;
    QTest::addRow("interrupted") << false;
}

// TestContextHandler: canceling the context ends the run with the context's error; an
// interrupt cancels the context.
void tst_RunGroup::contextHandler()
{
    QFETCH(bool, cancelParent);
    auto context = std::make_shared<CancelContext>();
    auto other = std::make_shared<Gate>();
    RunGroup group;
    auto release = qScopeGuard([&] {
        context->cancel(failure("cleanup"));
        other->open();
    });
    QCOMPARE(group.add([context] { return context->done(); },
                       [context] { context->cancel(RunError::canceled()); }),
             0);
    QCOMPARE(group.add(waitFor(other, failure("other")), opener(other)), 1);
    QSignalSpy finished(&group, &RunGroup::finished);

    group.start();
    if (cancelParent)
        context->cancel(RunError::canceled());
    else
        other->open();

    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    const RunError expected = cancelParent ? RunError::canceled() : failure("other");
    QCOMPARE(errorAt(finished, 0, 0), expected);
    QCOMPARE(group.errors().at(0), RunError::canceled());
}

void tst_RunGroup::metaObject()
{
    const QMetaObject &mo = RunGroup::staticMetaObject;
    QVERIFY(mo.indexOfSignal("started()") >= 0);
    QVERIFY(mo.indexOfSignal("actorExited(int,RunError)") >= 0);
    QVERIFY(mo.indexOfSignal("finished(RunError)") >= 0);
    QVERIFY(mo.indexOfSlot("start()") >= 0);
    QVERIFY(mo.indexOfSlot("stop(RunError)") >= 0);
    QVERIFY(mo.indexOfMethod("stop()") >= 0);

    const struct
    {
        const char *name;
        const char *typeName;
        bool writable;
        const char *notify;
    } properties[] = {
        {"state", "RunGroup::State", false, "stateChanged(RunGroup::State)"},
        {"running", "bool", true, "runningChanged(bool)"},
        {"count", "int", false, "countChanged(int)"},
        {"error", "RunError", false, "errorChanged(RunError)"},
        {"errors", "QList<RunError>", false, "errorsChanged()"},
    };
    for (const auto &expected : properties) {
        const int index = mo.indexOfProperty(expected.name);
        QVERIFY2(index >= 0, expected.name);
        const QMetaProperty property = mo.property(index);
        QVERIFY2(property.isReadable(), expected.name);
        QCOMPARE(property.isWritable(), expected.writable);
        QCOMPARE(QByteArray(property.typeName()), QByteArray(expected.typeName));
        QVERIFY2(property.metaType().isValid(), expected.name);
        QVERIFY2(property.hasNotifySignal(), expected.name);
        QCOMPARE(property.notifySignal().methodSignature(), QByteArray(expected.notify));
    }
    QVERIFY(QMetaType::fromName("QList<RunError>").isValid());

    const QMetaEnum states = QMetaEnum::fromType<RunGroup::State>();
    QVERIFY(states.isValid());
    QVERIFY(states.isScoped());
    QCOMPARE(states.keyCount(), 4);
    QCOMPARE(states.value(0), int(RunGroup::State::Idle));
    QCOMPARE(QByteArray(states.valueToKey(int(RunGroup::State::Idle))), QByteArray("Idle"));
    QCOMPARE(QByteArray(states.valueToKey(int(RunGroup::State::Running))), QByteArray("Running"));
    QCOMPARE(QByteArray(states.valueToKey(int(RunGroup::State::Interrupting))),
             QByteArray("Interrupting"));
    QCOMPARE(QByteArray(states.valueToKey(int(RunGroup::State::Finished))), QByteArray("Finished"));

    // The properties read through the meta-object.
    RunGroup group;
    QCOMPARE(group.property("state").value<RunGroup::State>(), RunGroup::State::Idle);
    QCOMPARE(group.property("running").toBool(), false);
    QCOMPARE(group.property("count").toInt(), 0);
    QCOMPARE(group.property("error").value<RunError>(), RunError());
}

void tst_RunGroup::countProperty()
{
    Emitter emitter;
    RunGroup group;
    QSignalSpy countChanged(&group, &RunGroup::countChanged);
    QCOMPARE(group.count(), 0);

    QCOMPARE(group.add([] {}, {}, nullptr, QStringLiteral("first")), 0);
    QCOMPARE(group.addObject(&emitter, &Emitter::exitPlain, {}, QStringLiteral("object")), 1);
    QCOMPARE(group.addSignalHandler({kSpareSignal}), 2);
    QCOMPARE(group.add([] { return RunError(); }), 3);
    QCOMPARE(group.count(), 4);
    QCOMPARE(group.property("count").toInt(), 4);
    QCOMPARE(countChanged.count(), 4);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(countChanged.at(i).at(0).toInt(), i + 1);
    QCOMPARE(group.actorName(0), QStringLiteral("first"));
    QCOMPARE(group.actorName(1), QStringLiteral("object"));
    QCOMPARE(group.actorName(3), QString());
    QCOMPARE(group.actorName(4), QString());
    QCOMPARE(group.actorName(-1), QString());

    // A refused add changes nothing.
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::add: execute is empty");
    QCOMPARE(group.add(nullptr), -1);
    QCOMPARE(group.count(), 4);
    QCOMPARE(countChanged.count(), 4);
}

void tst_RunGroup::shutdownTimeoutProperty()
{
    RunGroup group;
    QCOMPARE(group.shutdownTimeout(), 0);
    QSignalSpy changed(&group, &RunGroup::shutdownTimeoutChanged);

    group.setShutdownTimeout(250);
    QCOMPARE(group.shutdownTimeout(), 250);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toInt(), 250);

    group.setShutdownTimeout(250);
    QCOMPARE(changed.count(), 1);

    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setShutdownTimeout: The timeout must not be negative");
    group.setShutdownTimeout(-1);
    QCOMPARE(group.shutdownTimeout(), 250);
    QCOMPARE(changed.count(), 1);

    group.setShutdownTimeout(std::chrono::milliseconds(0));
    QCOMPARE(group.shutdownTimeout(), 0);
    QCOMPARE(changed.count(), 2);
    QVERIFY(group.setProperty("shutdownTimeout", 40));
    QCOMPARE(group.shutdownTimeout(), 40);

    // The whole int range works.
    group.setShutdownTimeout(INT_MAX);
    QCOMPARE(group.shutdownTimeout(), INT_MAX);
    group.setShutdownTimeout(std::chrono::milliseconds(INT_MAX));
    QCOMPARE(group.shutdownTimeout(), INT_MAX);
}

void tst_RunGroup::shutdownTimeoutChronoRange_data()
{
    // int(count()) used to turn these into 300 ms, into a negative number (refused with the
    // wrong reason), or into "wait forever".
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("warning");
    const auto tooLong = [](qint64 ms) {
        return QStringLiteral("RunGroup::setShutdownTimeout: The timeout must be at most "
                              "2147483647 ms, not %1 ms")
            .arg(ms);
    };
    const QString negative =
        QStringLiteral("RunGroup::setShutdownTimeout: The timeout must not be negative");
    QTest::addRow("INT_MAX + 1") << qint64(INT_MAX) + 1 << tooLong(qint64(INT_MAX) + 1);
    QTest::addRow("2^32") << (qint64(1) << 32) << tooLong(qint64(1) << 32);
    QTest::addRow("2^32 + 300") << (qint64(1) << 32) + 300 << tooLong((qint64(1) << 32) + 300);
    QTest::addRow("milliseconds::max()") << qint64(std::chrono::milliseconds::max().count())
                                         << tooLong(std::chrono::milliseconds::max().count());
    QTest::addRow("-1") << qint64(-1) << negative;
    QTest::addRow("-(2^32) + 300") << -(qint64(1) << 32) + 300 << negative;
    QTest::addRow("milliseconds::min()")
        << qint64(std::chrono::milliseconds::min().count()) << negative;
}

void tst_RunGroup::shutdownTimeoutChronoRange()
{
    QFETCH(qint64, ms);
    QFETCH(QString, warning);
    RunGroup group;
    group.setShutdownTimeout(250);
    QSignalSpy changed(&group, &RunGroup::shutdownTimeoutChanged);
    QTest::ignoreMessage(QtWarningMsg, qPrintable(warning));
    group.setShutdownTimeout(std::chrono::milliseconds(ms));
    QCOMPARE(group.shutdownTimeout(), 250);
    QCOMPARE(changed.count(), 0);
}

// Every signal is emitted on the group's thread, whichever thread an actor exits on.
void tst_RunGroup::signalsOnGroupThread()
{
    WorkerThread worker(QStringLiteral("objectThread"));
    auto *remoteEmitter = worker.create<Emitter>();
    auto gate = std::make_shared<Gate>();
    auto first = std::make_shared<Gate>();
    RunGroup group;
    auto release = qScopeGuard([&] {
        gate->open();
        first->open();
    });
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
    QCOMPARE(group.add(waitFor(first, failure("first"))), 1);
    // Exits from the worker thread when interrupted.
    QCOMPARE(group.addObject(remoteEmitter, &Emitter::exitWithError, &Emitter::interruptWithError),
             2);

    std::map<QByteArray, int> counts;
    int offThread = 0;
    const auto note = [&](const char *name) {
        ++counts[name];
        if (QThread::currentThread() != group.thread())
            ++offThread;
    };
    // Context of the connections below: gone before what they capture.
    QObject receiver;
    QObject::connect(&group, &RunGroup::started, &receiver, [&] { note("started"); });
    QObject::connect(&group, &RunGroup::actorExited, &receiver, [&] { note("actorExited"); });
    QObject::connect(&group, &RunGroup::finished, &receiver, [&] { note("finished"); });
    QObject::connect(&group, &RunGroup::stateChanged, &receiver, [&] { note("stateChanged"); });
    QObject::connect(&group, &RunGroup::runningChanged, &receiver, [&] { note("runningChanged"); });
    QObject::connect(&group, &RunGroup::errorChanged, &receiver, [&] { note("errorChanged"); });
    QObject::connect(&group, &RunGroup::errorsChanged, &receiver, [&] { note("errorsChanged"); });

    group.start();
    first->open();
    QTRY_COMPARE_WITH_TIMEOUT(counts["finished"], 1, kTimeout);
    QCOMPARE(offThread, 0);
    QCOMPARE(counts["started"], 1);
    QCOMPARE(counts["actorExited"], 3);
    QCOMPARE(counts["stateChanged"], 3);
    QCOMPARE(counts["runningChanged"], 2);
    QCOMPARE(counts["errorChanged"], 1);
    QVERIFY(counts["errorsChanged"] >= 1);
    QCOMPARE(remoteEmitter->interruptThreads(), QList<QThread *>({worker.thread()}));
}

// A group living on a worker thread: signals and null-context interrupts run there.
void tst_RunGroup::groupOnWorkerThread()
{
    struct Shared
    {
        std::atomic<int> signalsSeen{0};
        std::atomic<int> offThread{0};
        std::atomic<bool> finished{false};
        std::atomic<bool> destroyed{false};
        std::mutex mutex;
        RunError finishedError;
        QThread *interruptThread = nullptr;
        Gate gate;
    };
    auto shared = std::make_shared<Shared>();
    WorkerThread worker(QStringLiteral("groupThread"));
    QThread *groupThread = worker.thread();
    auto release = qScopeGuard([&] { shared->gate.open(); });

    auto *group = new RunGroup;
    QCOMPARE(group->add(
                 [shared] { return shared->gate.wait() ? RunError() : failure("not interrupted"); },
                 [shared] {
                     {
                         std::lock_guard<std::mutex> lock(shared->mutex);
                         shared->interruptThread = QThread::currentThread();
                     }
                     shared->gate.open();
                 }),
             0);
    QCOMPARE(group->add([] { return failure("first"); }), 1);
    const auto note = [shared, groupThread] {
        ++shared->signalsSeen;
        if (QThread::currentThread() != groupThread)
            ++shared->offThread;
    };
    QObject::connect(group, &RunGroup::started, note);
    QObject::connect(group, &RunGroup::actorExited, note);
    QObject::connect(group, &RunGroup::stateChanged, note);
    QObject::connect(group, &RunGroup::finished, [shared, note](const RunError &error) {
        note();
        std::lock_guard<std::mutex> lock(shared->mutex);
        shared->finishedError = error;
        shared->finished = true;
    });
    QObject::connect(group, &QObject::destroyed, [shared] { shared->destroyed = true; });
    group->moveToThread(groupThread);

    QVERIFY(QMetaObject::invokeMethod(group, "start", Qt::QueuedConnection));
    QTRY_VERIFY_WITH_TIMEOUT(shared->finished.load(), kTimeout);
    {
        std::lock_guard<std::mutex> lock(shared->mutex);
        QCOMPARE(shared->finishedError, failure("first"));
        QCOMPARE(shared->interruptThread, groupThread);
    }
    // started, 2 x actorExited, 3 x stateChanged, finished.
    QCOMPARE(shared->signalsSeen.load(), 7);
    QCOMPARE(shared->offThread.load(), 0);

    group->deleteLater();
    QTRY_VERIFY_WITH_TIMEOUT(shared->destroyed.load(), kTimeout);
}

void tst_RunGroup::stateTransitions_data()
{
    QTest::addColumn<bool>("empty");
    QTest::addRow("actors") << false;
    QTest::addRow("empty group") << true;
}

// Idle -> Running -> Interrupting -> Finished; Running (and its NOTIFY signals emitted)
// as soon as start() returns.
void tst_RunGroup::stateTransitions()
{
    QFETCH(bool, empty);
    auto gate = std::make_shared<Gate>();
    auto exitGate = std::make_shared<Gate>();
    RunGroup group;
    auto release = qScopeGuard([&] {
        gate->open();
        exitGate->open();
    });
    if (!empty) {
        QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
        QCOMPARE(group.add(waitFor(exitGate, failure("first"))), 1);
    }
    QCOMPARE(group.state(), RunGroup::State::Idle);
    QVERIFY(!group.isRunning());
    QSignalSpy stateChanged(&group, &RunGroup::stateChanged);
    QSignalSpy runningChanged(&group, &RunGroup::runningChanged);
    QSignalSpy finished(&group, &RunGroup::finished);
    QList<RunGroup::State> statesAtFirstExit;
    QList<RunGroup::State> statesAtFinished;
    // Context of the connections below: gone before what they capture.
    QObject receiver;
    QObject::connect(&group, &RunGroup::actorExited, &receiver,
                     [&] { statesAtFirstExit.append(group.state()); });
    QObject::connect(&group, &RunGroup::finished, &receiver,
                     [&] { statesAtFinished.append(group.state()); });

    group.start();
    QCOMPARE(group.state(), RunGroup::State::Running);
    QVERIFY(group.isRunning());
    QCOMPARE(stateChanged.count(), 1);
    QCOMPARE(stateChanged.at(0).at(0).value<RunGroup::State>(), RunGroup::State::Running);
    QCOMPARE(runningChanged.count(), 1);
    QCOMPARE(runningChanged.at(0).at(0).toBool(), true);

    exitGate->open();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(group.state(), RunGroup::State::Finished);
    QVERIFY(!group.isRunning());
    QCOMPARE(statesAtFinished, QList<RunGroup::State>({RunGroup::State::Finished}));

    QList<RunGroup::State> states;
    for (const auto &arguments : std::as_const(stateChanged))
        states.append(arguments.at(0).value<RunGroup::State>());
    if (empty) {
        QVERIFY(states
                    == QList<RunGroup::State>({RunGroup::State::Running, RunGroup::State::Finished})
                || states
                       == QList<RunGroup::State>({RunGroup::State::Running,
                                                  RunGroup::State::Interrupting,
                                                  RunGroup::State::Finished}));
    } else {
        QCOMPARE(states,
                 QList<RunGroup::State>({RunGroup::State::Running, RunGroup::State::Interrupting,
                                         RunGroup::State::Finished}));
        QCOMPARE(statesAtFirstExit.value(0), RunGroup::State::Interrupting);
    }
    QCOMPARE(runningChanged.count(), 2);
    QCOMPARE(runningChanged.at(1).at(0).toBool(), false);

    // Stays Finished until the next start().
    QCoreApplication::processEvents();
    QCOMPARE(group.state(), RunGroup::State::Finished);
    QCOMPARE(stateChanged.count(), states.size());
}

// When finished(E) is emitted: Finished, not running, error() == E, errors() complete,
// every execute returned.
void tst_RunGroup::finishedInvariants()
{
    constexpr int kThreaded = 3;
    struct Shared
    {
        std::array<Gate, kThreaded> gates;
        std::array<std::atomic<bool>, kThreaded> returned{};
    };
    auto shared = std::make_shared<Shared>();
    Emitter emitter;
    RunGroup group;
    auto release = qScopeGuard([&] {
        for (Gate &gate : shared->gates)
            gate.open();
    });
    for (int i = 0; i < kThreaded; ++i) {
        QCOMPARE(group.add(
                     [shared, i] {
                         RunError result;
                         if (i == 0)
                             result = failure("first");
                         else if (!shared->gates[i].wait())
                             result = failure("the gate was never opened");
                         // Keep the thread busy after the interrupt: finished must wait.
                         std::this_thread::sleep_for(20ms);
                         shared->returned[i] = true;
                         return result;
                     },
                     [shared, i] { shared->gates[i].open(); }),
                 i);
    }
    QCOMPARE(
        group.addObject(&emitter, &Emitter::exitWithMessage,
                        [&emitter] { Q_EMIT emitter.exitWithMessage(QStringLiteral("object")); }),
        kThreaded);

    QMap<int, RunError> exited;
    // Context of the connections below: gone before what they capture.
    QObject receiver;
    QObject::connect(&group, &RunGroup::actorExited, &receiver,
                     [&](int index, const RunError &error) { exited.insert(index, error); });
    struct AtFinished
    {
        int calls = 0;
        RunError error;
        RunGroup::State state = RunGroup::State::Idle;
        bool running = true;
        RunError groupError;
        QList<RunError> errors;
        QMap<int, RunError> exited;
        int returned = 0;
    } at;
    QObject::connect(&group, &RunGroup::finished, &receiver, [&](const RunError &error) {
        ++at.calls;
        at.error = error;
        at.state = group.state();
        at.running = group.isRunning();
        at.groupError = group.error();
        at.errors = group.errors();
        at.exited = exited;
        for (const auto &returned : shared->returned)
            at.returned += returned ? 1 : 0;
    });

    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(at.calls, 1, kTimeout);
    QCOMPARE(at.error, failure("first"));
    QCOMPARE(at.state, RunGroup::State::Finished);
    QVERIFY(!at.running);
    QCOMPARE(at.groupError, at.error);
    QCOMPARE(at.errors.size(), group.count());
    QCOMPARE(at.exited.size(), group.count());
    for (int i = 0; i < group.count(); ++i)
        QCOMPARE(at.errors.at(i), at.exited.value(i));
    QCOMPARE(at.errors.at(kThreaded), failure("object"));
    QCOMPARE(at.returned, kThreaded);
}

// errors() is reset by start() and fills in as actors exit; error() only changes when
// finished is emitted.
void tst_RunGroup::errorsFilledAsActorsExit()
{
    auto go = std::make_shared<Semaphore>();
    auto interrupted = std::make_shared<Semaphore>();
    auto runNumber = std::make_shared<std::atomic<int>>(0);
    Emitter emitter;
    RunGroup group;
    auto release = qScopeGuard([&] {
        go->release(100);
        interrupted->release(100);
    });
    QCOMPARE(group.add([go, runNumber] {
        const int run = ++*runNumber;
        return go->acquire() ? RunError::failure(QStringLiteral("a%1").arg(run))
                             : failure("never released");
    }),
             0);
    QCOMPARE(
        group.add([interrupted] { return interrupted->acquire() ? failure("b") : failure("x"); },
                  [interrupted] { interrupted->release(); }),
        1);
    QCOMPARE(group.addObject(&emitter, &Emitter::exitWithMessage,
                             [&emitter] { Q_EMIT emitter.exitWithMessage(QStringLiteral("c")); }),
             2);

    QSignalSpy errorChanged(&group, &RunGroup::errorChanged);
    QSignalSpy errorsChanged(&group, &RunGroup::errorsChanged);
    QSignalSpy finished(&group, &RunGroup::finished);
    struct Seen
    {
        int index;
        RunError error;
        RunError errorsAtIndex;
        RunError groupError;
        int errorChangedCount;
    };
    QList<Seen> seen;
    // Context of the connections below: gone before what they capture.
    QObject receiver;
    QObject::connect(&group, &RunGroup::actorExited, &receiver,
                     [&](int index, const RunError &error) {
                         seen.append({index, error, group.errors().value(index, failure("missing")),
                                      group.error(), int(errorChanged.count())});
                     });

    const QList<RunError> none(3, RunError());
    for (int run = 1; run <= 2; ++run) {
        const RunError previous = run == 1 ? RunError() : failure("a1");
        const RunError first = RunError::failure(QStringLiteral("a%1").arg(run));
        seen.clear();
        const int errorsChangedBefore = int(errorsChanged.count());
        const int errorChangedBefore = int(errorChanged.count());

        group.start();
        QCOMPARE(group.errors(), none);
        QCOMPARE(group.error(), previous);
        if (run == 2)
            QVERIFY(errorsChanged.count() > errorsChangedBefore); // reset from [a1, b, c]

        go->release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), run, kTimeout);
        QCOMPARE(seen.size(), 3);
        for (const Seen &s : std::as_const(seen)) {
            QCOMPARE(s.errorsAtIndex, s.error);
            QCOMPARE(s.groupError, previous);
            QCOMPARE(s.errorChangedCount, errorChangedBefore);
        }
        QCOMPARE(group.errors(), QList<RunError>({first, failure("b"), failure("c")}));
        QCOMPARE(group.error(), first);
        QCOMPARE(errorChanged.count(), errorChangedBefore + 1);
        QCOMPARE(errorAt(errorChanged, errorChangedBefore, 0), first);
        // Three actors exited with an error, each a change of errors().
        QVERIFY(errorsChanged.count() >= errorsChangedBefore + (run == 1 ? 3 : 4));
    }
}

// running: setting true is start(), setting false is stop() with RunError::canceled().
void tst_RunGroup::runningProperty()
{
    auto interrupted = std::make_shared<Semaphore>();
    RunGroup group;
    auto release = qScopeGuard([&] { interrupted->release(100); });
    QCOMPARE(group.add([interrupted] { return interrupted->acquire() ? RunError() : failure("x"); },
                       [interrupted] { interrupted->release(); }),
             0);
    QSignalSpy started(&group, &RunGroup::started);
    QSignalSpy finished(&group, &RunGroup::finished);

    // Idle: false does nothing.
    group.setRunning(false);
    QCOMPARE(group.state(), RunGroup::State::Idle);

    group.setRunning(true);
    QCOMPARE(group.state(), RunGroup::State::Running);
    QVERIFY(group.isRunning());
    QCOMPARE(group.property("running").toBool(), true);
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, kTimeout);

    group.setRunning(false);
    QCOMPARE(group.state(), RunGroup::State::Interrupting);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(errorAt(finished, 0, 0), RunError::canceled());
    QCOMPARE(group.property("running").toBool(), false);

    // Through the meta-object, as QML writes it.
    QVERIFY(group.setProperty("running", true));
    QCOMPARE(group.state(), RunGroup::State::Running);
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 2, kTimeout);
    QVERIFY(group.setProperty("running", false));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kTimeout);
    QCOMPARE(errorAt(finished, 1, 0), RunError::canceled());
    QCOMPARE(group.error(), RunError::canceled());
}

// A finished group runs again: every execute runs again, errors reset.
void tst_RunGroup::rerun()
{
    auto firstRuns = std::make_shared<std::atomic<int>>(0);
    auto blockerRuns = std::make_shared<std::atomic<int>>(0);
    auto interrupted = std::make_shared<Semaphore>();
    auto log = std::make_shared<InterruptLog>();
    Emitter emitter;
    RunGroup group;
    auto release = qScopeGuard([&] { interrupted->release(100); });
    QCOMPARE(
        group.add(
            [firstRuns] { return RunError::failure(QStringLiteral("run %1").arg(++*firstRuns)); },
            recordInto(log, 0)),
        0);
    QCOMPARE(group.add(
                 [interrupted, blockerRuns] {
                     ++*blockerRuns;
                     return interrupted->acquire() ? RunError() : failure("not interrupted");
                 },
                 [interrupted, log](const RunError &error) {
                     log->record(1, error);
                     interrupted->release();
                 }),
             1);
    QCOMPARE(group.addObject(&emitter, &Emitter::exitPlain,
                             [&emitter, log](const RunError &error) {
                                 log->record(2, error);
                                 Q_EMIT emitter.exitPlain();
                             }),
             2);
    GroupLog events(&group);
    QSignalSpy started(&group, &RunGroup::started);
    QSignalSpy finished(&group, &RunGroup::finished);

    QCOMPARE(group.run(), failure("run 1"));
    QCOMPARE(group.errors(), QList<RunError>({failure("run 1"), RunError(), RunError()}));
    QTRY_COMPARE_WITH_TIMEOUT(log->count(), 3, kTimeout);
    QString problem = events.checkRun(3);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    events.clear();
    log->clear();
    group.start();
    QCOMPARE(group.state(), RunGroup::State::Running);
    QCOMPARE(group.errors(), QList<RunError>(3, RunError()));
    QCOMPARE(group.error(), failure("run 1"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kTimeout);
    QCOMPARE(errorAt(finished, 1, 0), failure("run 2"));
    QCOMPARE(group.error(), failure("run 2"));
    QCOMPARE(started.count(), 2);
    problem = events.checkRun(3);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_COMPARE_WITH_TIMEOUT(log->count(), 3, kTimeout);
    for (const auto &call : log->calls())
        QCOMPARE(call.error, failure("run 2"));

    events.clear();
    QCOMPARE(group.run(), failure("run 3"));
    problem = events.checkRun(3);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(firstRuns->load(), 3);
    QCOMPARE(blockerRuns->load(), 3);
    QCOMPARE(started.count(), 3);
    QCOMPARE(finished.count(), 3);
}

QTEST_GUILESS_MAIN(tst_RunGroup)
#include "tst_rungroup.moc"
