// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Ordered start and stop: readiness, dependencies, reverse-order stop, the startup timeout,
// the staged shutdown timeout, the actor model, and the bad input around them.

#include <RunGroup/RunGroup>

#include <QtCore/QAbstractItemModel>
#include <QtCore/QElapsedTimer>
#include <QtCore/QMutex>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <climits>
#include <csignal>
#include <memory>

#include "emitter.h"
#include "rungrouptest.h"
#include "rungrouptestcase.h"
#include "sparesignal.h"
#include "testsync.h"

namespace {

// What happened, in order, from any thread.
class EventLog
{
public:
    void add(const QString &event)
    {
        QMutexLocker lock(&m_mutex);
        m_events.append(event);
    }
    QStringList events() const
    {
        QMutexLocker lock(&m_mutex);
        return m_events;
    }
    int indexOf(const QString &event) const { return events().indexOf(event); }

private:
    mutable QMutex m_mutex;
    QStringList m_events;
};

// An actor that logs "start <name>", blocks until interrupted, then logs "exit <name>".
// Its interrupt logs "interrupt <name>".
int addLogged(RunGroup &group, std::shared_ptr<EventLog> log, const QString &name,
              RunError result = {})
{
    auto gate = std::make_shared<Gate>();
    return group.add(
        [log, gate, name, result] {
            log->add(QStringLiteral("start ") + name);
            const bool opened = gate->wait();
            log->add(QStringLiteral("exit ") + name);
            return opened ? result : failure("never interrupted");
        },
        [log, gate, name] {
            log->add(QStringLiteral("interrupt ") + name);
            gate->open();
        },
        nullptr, name);
}

} // namespace

class tst_Ordering : public RunGroupTestCase
{
    Q_OBJECT

private Q_SLOTS:
    // Readiness
    void readyOnceStartedByDefault();
    void requireReadyThenMarkReadyFromActorThread();
    void readinessStartsAnewEachRun();
    // Dependencies
    void dependentStartsOnceDependencyIsReady();
    void chainOfActorsReadyOnceStarted();
    void objectActorStartsLate();
    void readyMadeActorBeginsWhenItStarts();
    void dependencyFailsBeforeReady();
    void waitingActorsCanceledAtStop();
    // Stop
    void reverseOrderStop();
    void unrelatedActorsInterruptedAtOnce();
    void actorInterruptedFollowsTheStages();
    void shutdownTimeoutNamesTheStuckStage();
    void destroyedWhileActorsWait();
    void destroyedFromActorExitedDuringStagedStop();
    void destroyedFromAnInterruptWithInterruptsBehindIt();
    void destroyedWhileAnEventActorIgnoresItsInterrupt();
    // Startup timeout
    void startupTimeoutNamesActorsNotReady();
    void drainDelayHoldsInterruptsBack();
    void drainDelayOnlyWhenEveryActorWasReady();
    void drainEndsWhenEveryActorHasExited();
    void destroyedWhileDraining();
    void shutdownTimeoutCountsFromTheDrainsEnd();
    void durationsRefusedOutOfRange();
    void startupTimeoutMetDoesNothing();
    // Model
    void actorModelFollowsTheRun();
    void actorModelHasColumnsForATableView();
    // Bad input
    void setDependenciesRefusesBadInput();
    void markReadyRefusesBadInput();
    void configurationRefusedWhileRunning();
};

void tst_Ordering::readyOnceStartedByDefault()
{
    RunGroup group;
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 1);
    QStringList order;
    connect(&group, &RunGroup::started, this, [&] { order.append(QStringLiteral("started")); });
    connect(&group, &RunGroup::actorStarted, this,
            [&](int i) { order.append(QStringLiteral("actorStarted %1").arg(i)); });
    connect(&group, &RunGroup::actorReady, this,
            [&](int i) { order.append(QStringLiteral("actorReady %1").arg(i)); });
    group.start();
    QCOMPARE(order, (QStringList{QStringLiteral("started"), QStringLiteral("actorStarted 0"),
                                 QStringLiteral("actorReady 0"), QStringLiteral("actorStarted 1"),
                                 QStringLiteral("actorReady 1")}));
    QVERIFY(group.isReady(0));
    QVERIFY(group.isReady(1));
    QVERIFY(!group.isReady(2));
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
}

void tst_Ordering::requireReadyThenMarkReadyFromActorThread()
{
    RunGroup group;
    auto proceed = std::make_shared<Gate>();
    auto stop = std::make_shared<Gate>();
    RunGroup *g = &group;
    QCOMPARE(group.add(
                 [g, proceed, stop] {
                     proceed->wait();
                     g->markReady(0); // from the actor's own thread: queued to the group
                     return stop->wait() ? RunError() : failure("never interrupted");
                 },
                 opener(stop)),
             0);
    group.requireReady(0);
    QSignalSpy ready(&group, &RunGroup::actorReady);
    group.start();
    QVERIFY(!group.isReady(0));
    QCOMPARE(ready.count(), 0);
    proceed->open();
    QVERIFY(ready.wait(kTimeout));
    QCOMPARE(ready.count(), 1);
    QCOMPARE(ready.at(0).at(0).toInt(), 0);
    QVERIFY(group.isReady(0));
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(ready.count(), 1);
}

void tst_Ordering::readinessStartsAnewEachRun()
{
    RunGroup group;
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
    group.requireReady(0);
    for (int run = 0; run < 2; ++run) {
        gate->close();
        group.start();
        QVERIFY(!group.isReady(0));
        group.markReady(0);
        QVERIFY(group.isReady(0));
        group.stop();
        QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    }
}

void tst_Ordering::dependentStartsOnceDependencyIsReady()
{
    auto log = std::make_shared<EventLog>();
    RunGroup group;
    QCOMPARE(addLogged(group, log, QStringLiteral("storage")), 0);
    QCOMPARE(addLogged(group, log, QStringLiteral("web")), 1);
    group.requireReady(0);
    QVERIFY(group.setDependencies(1, {0}));
    QCOMPARE(group.dependencies(1), QList<int>{0});
    QSignalSpy started(&group, &RunGroup::actorStarted);
    group.start();
    QCOMPARE(started.count(), 1); // storage only: web waits
    QTRY_VERIFY_WITH_TIMEOUT(log->events().contains(QStringLiteral("start storage")), kTimeout);
    QTest::qWait(50);
    QVERIFY(!log->events().contains(QStringLiteral("start web")));
    group.markReady(0);
    QCOMPARE(started.count(), 2);
    QCOMPARE(started.at(1).at(0).toInt(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(log->events().contains(QStringLiteral("start web")), kTimeout);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
}

void tst_Ordering::chainOfActorsReadyOnceStarted()
{
    auto log = std::make_shared<EventLog>();
    RunGroup group;
    QCOMPARE(addLogged(group, log, QStringLiteral("c")), 0);
    QCOMPARE(addLogged(group, log, QStringLiteral("b")), 1);
    QCOMPARE(addLogged(group, log, QStringLiteral("a")), 2);
    QVERIFY(group.setDependencies(0, {1}));
    QVERIFY(group.setDependencies(1, {2}));
    QSignalSpy started(&group, &RunGroup::actorStarted);
    group.start();
    // Ready once started, so the whole chain starts within start(), in dependency order.
    QCOMPARE(started.count(), 3);
    QCOMPARE(started.at(0).at(0).toInt(), 2);
    QCOMPARE(started.at(1).at(0).toInt(), 1);
    QCOMPARE(started.at(2).at(0).toInt(), 0);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    // Stopped in reverse: c, then b, then a.
    const QStringList events = log->events();
    QVERIFY(events.indexOf(QStringLiteral("exit c"))
            < events.indexOf(QStringLiteral("interrupt b")));
    QVERIFY(events.indexOf(QStringLiteral("exit b"))
            < events.indexOf(QStringLiteral("interrupt a")));
}

void tst_Ordering::objectActorStartsLate()
{
    RunGroup group;
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
    // An event-driven actor that exits when its interrupt fires its timer.
    QTimer timer;
    timer.setSingleShot(true);
    QCOMPARE(group.addObject(&timer, &QTimer::timeout, [&timer] { timer.start(0); }), 1);
    group.requireReady(0);
    QVERIFY(group.setDependencies(1, {0}));
    QSignalSpy started(&group, &RunGroup::actorStarted);
    group.start();
    QCOMPARE(started.count(), 1);
    group.markReady(0);
    QCOMPARE(started.count(), 2);
    QCOMPARE(started.at(1).at(0).toInt(), 1);
    QVERIFY(group.isReady(1));
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
}

void tst_Ordering::readyMadeActorBeginsWhenItStarts()
{
    RunGroup group;
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
    RunGroup child;
    QSignalSpy childStarted(&child, &RunGroup::started);
    QCOMPARE(group.addGroup(&child, QStringLiteral("child")), 1);
    group.requireReady(0);
    QVERIFY(group.setDependencies(1, {0}));
    group.start();
    QCOMPARE(childStarted.count(), 0); // the nested group waits for actor 0
    group.markReady(0);
    QCOMPARE(childStarted.count(), 1);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
}

void tst_Ordering::dependencyFailsBeforeReady()
{
    RunGroup group;
    auto executed = std::make_shared<std::atomic<bool>>(false);
    QCOMPARE(group.add([] { return failure("storage broke"); }), 0);
    QCOMPARE(group.add([executed] { *executed = true; }), 1);
    group.requireReady(0);
    QVERIFY(group.setDependencies(1, {0}));
    QSignalSpy exited(&group, &RunGroup::actorExited);
    QCOMPARE(runToEnd(group), failure("storage broke"));
    QCOMPARE(exited.count(), 2);
    QVERIFY(!*executed);
    QCOMPARE(group.errors().at(1).kind(), RunError::Kind::Canceled);
}

void tst_Ordering::waitingActorsCanceledAtStop()
{
    auto log = std::make_shared<EventLog>();
    RunGroup group;
    QCOMPARE(addLogged(group, log, QStringLiteral("storage")), 0);
    QCOMPARE(addLogged(group, log, QStringLiteral("web")), 1);
    QCOMPARE(addLogged(group, log, QStringLiteral("cache")), 2);
    group.requireReady(0);
    QVERIFY(group.setDependencies(1, {0}));
    QVERIFY(group.setDependencies(2, {1}));
    QSignalSpy exited(&group, &RunGroup::actorExited);
    group.start();
    group.stop(failure("stop"));
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(exited.count(), 3); // each exactly once
    QCOMPARE(group.errors().at(1).kind(), RunError::Kind::Canceled);
    QCOMPARE(group.errors().at(2).kind(), RunError::Kind::Canceled);
    QVERIFY(!log->events().contains(QStringLiteral("start web")));
    QVERIFY(!log->events().contains(QStringLiteral("start cache")));
    // Every interrupt once, storage's once web (which never started) has exited.
    QCOMPARE(log->events().count(QStringLiteral("interrupt storage")), 1);
    QCOMPARE(log->events().count(QStringLiteral("interrupt web")), 1);
    QCOMPARE(group.error(), failure("stop"));
}

void tst_Ordering::reverseOrderStop()
{
    auto log = std::make_shared<EventLog>();
    RunGroup group;
    QCOMPARE(addLogged(group, log, QStringLiteral("storage")), 0);
    QCOMPARE(addLogged(group, log, QStringLiteral("web")), 1);
    QVERIFY(group.setDependencies(1, {0}));
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->events().size(), 2, kTimeout);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    const QStringList events = log->events();
    QCOMPARE(events.mid(2),
             (QStringList{QStringLiteral("interrupt web"), QStringLiteral("exit web"),
                          QStringLiteral("interrupt storage"), QStringLiteral("exit storage")}));
}

void tst_Ordering::unrelatedActorsInterruptedAtOnce()
{
    auto log = std::make_shared<EventLog>();
    RunGroup group;
    QCOMPARE(addLogged(group, log, QStringLiteral("storage")), 0);
    QCOMPARE(addLogged(group, log, QStringLiteral("web")), 1);
    QCOMPARE(addLogged(group, log, QStringLiteral("metrics")), 2);
    QVERIFY(group.setDependencies(1, {0}));
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->events().size(), 3, kTimeout);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    const QStringList events = log->events();
    // web and metrics go first, in add order; storage only after web has exited.
    QVERIFY(events.indexOf(QStringLiteral("interrupt web"))
            < events.indexOf(QStringLiteral("interrupt metrics")));
    QVERIFY(events.indexOf(QStringLiteral("exit web"))
            < events.indexOf(QStringLiteral("interrupt storage")));
}

// actorInterrupted() says when each interrupt is sent: storage's once web (which depends
// on it) exited, metrics' (unrelated) at once; the actor that ended the run after its exit.
void tst_Ordering::actorInterruptedFollowsTheStages()
{
    auto log = std::make_shared<EventLog>();
    RunGroup group;
    QCOMPARE(addLogged(group, log, QStringLiteral("storage")), 0);
    QCOMPARE(addLogged(group, log, QStringLiteral("web")), 1);
    QCOMPARE(addLogged(group, log, QStringLiteral("metrics")), 2);
    auto done = std::make_shared<Gate>();
    QCOMPARE(group.add([done] { return done->wait() ? RunError() : failure("never opened"); }), 3);
    QVERIFY(group.setDependencies(1, {0}));
    QStringList order;
    connect(&group, &RunGroup::actorInterrupted, this,
            [&order](int index) { order.append(QStringLiteral("interrupted %1").arg(index)); });
    connect(&group, &RunGroup::actorExited, this,
            [&order](int index) { order.append(QStringLiteral("exited %1").arg(index)); });
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->events().size(), 3, kTimeout);
    done->open();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(order.mid(0, 4),
             (QStringList{QStringLiteral("exited 3"), QStringLiteral("interrupted 1"),
                          QStringLiteral("interrupted 2"), QStringLiteral("interrupted 3")}));
    QCOMPARE(order.count(QStringLiteral("interrupted 0")), 1);
    QVERIFY(order.indexOf(QStringLiteral("interrupted 0"))
            > order.indexOf(QStringLiteral("exited 1")));
    QCOMPARE(order.size(), 8);
}

void tst_Ordering::shutdownTimeoutNamesTheStuckStage()
{
    RunGroup group;
    auto storageGate = std::make_shared<Gate>();
    auto webGate = std::make_shared<Gate>();
    QCOMPARE(
        group.add(waitFor(storageGate), opener(storageGate), nullptr, QStringLiteral("storage")),
        0);
    // web ignores its interrupt until the test lets it go.
    QCOMPARE(group.add(
                 waitFor(webGate), [] {}, nullptr, QStringLiteral("web")),
             1);
    QVERIFY(group.setDependencies(1, {0}));
    group.setShutdownTimeout(50);
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    group.stop();
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(group.errors().at(1).kind(), RunError::Kind::Timeout);
    QCOMPARE(group.errors().at(0).kind(), RunError::Kind::Timeout);
    QVERIFY2(group.errors().at(0).message().contains(QStringLiteral("actor 1 (web)")),
             qPrintable(group.errors().at(0).message()));
    // storage got its interrupt at the timeout all the same (queued to this thread).
    QTRY_VERIFY_WITH_TIMEOUT(storageGate->isOpen(), kTimeout);
    webGate->open();
}

void tst_Ordering::destroyedWhileActorsWait()
{
    auto log = std::make_shared<EventLog>();
    auto *group = new RunGroup;
    QCOMPARE(addLogged(*group, log, QStringLiteral("storage")), 0);
    QCOMPARE(addLogged(*group, log, QStringLiteral("web")), 1);
    group->requireReady(0);
    QVERIFY(group->setDependencies(1, {0}));
    QSignalSpy exited(group, &RunGroup::actorExited);
    group->start();
    QTRY_VERIFY_WITH_TIMEOUT(log->events().contains(QStringLiteral("start storage")), kTimeout);
    delete group; // joins storage; web never starts
    QCOMPARE(exited.count(), 2);
    QVERIFY(log->events().contains(QStringLiteral("exit storage")));
    QVERIFY(!log->events().contains(QStringLiteral("start web")));
}

// The schedule fuzzer's "regression-destroy-in-staged-exit": the slot that destroys the
// group runs inside web's actorExited(), before web's exit let storage's interrupt go.
void tst_Ordering::destroyedFromActorExitedDuringStagedStop()
{
    auto log = std::make_shared<EventLog>();
    auto *group = new RunGroup;
    QCOMPARE(addLogged(*group, log, QStringLiteral("storage")), 0);
    QCOMPARE(addLogged(*group, log, QStringLiteral("web")), 1);
    QVERIFY(group->setDependencies(1, {0}));
    QSignalSpy destroyed(group, &QObject::destroyed);
    connect(
        group, &RunGroup::actorExited, this, [group] { delete group; }, Qt::SingleShotConnection);
    group->start();
    QTRY_COMPARE_WITH_TIMEOUT(log->events().size(), 2, kTimeout);
    group->stop();
    QTRY_COMPARE_WITH_TIMEOUT(destroyed.count(), 1, kTimeout);
    QCOMPARE(log->events().mid(2),
             (QStringList{QStringLiteral("interrupt web"), QStringLiteral("exit web"),
                          QStringLiteral("interrupt storage"), QStringLiteral("exit storage")}));
}

// The schedule fuzzer's "regression-destroy-inside-interrupt-batch": the interrupts of
// actors without a context go to the group's thread in one call. The first one (a signal
// handler's, which exits at once) reaches a slot that destroys the group, so the second,
// behind it in that call, is dropped with its context, the group (as in 1.0) while it holds
// storage's interrupt back. ~RunGroup cancels it, then interrupts and joins storage.
void tst_Ordering::destroyedFromAnInterruptWithInterruptsBehindIt()
{
    auto log = std::make_shared<EventLog>();
    auto *group = new RunGroup;
    QCOMPARE(addLogged(*group, log, QStringLiteral("storage")), 0);
#ifdef Q_OS_WIN
    const int other = SIGTERM; // nothing sends either while the tests run
#else
    const int other = SIGUSR2;
#endif
    QCOMPARE(group->addSignalHandler({kSpareSignal}), 1);
    QCOMPARE(group->addSignalHandler({other}), 2);
    QVERIFY(group->setDependencies(2, {0}));
    QSignalSpy destroyed(group, &QObject::destroyed);
    QList<int> exits;
    QList<RunError> errors;
    connect(group, &RunGroup::actorExited, this,
            [group, &exits, &errors](int index, const RunError &error) {
                exits.append(index);
                errors.append(error);
                if (exits.size() == 1)
                    delete group;
            });
    group->start();
    QTRY_VERIFY_WITH_TIMEOUT(log->events().contains(QStringLiteral("start storage")), kTimeout);
    group->stop();
    QTRY_COMPARE_WITH_TIMEOUT(destroyed.count(), 1, kTimeout);
    QCOMPARE(exits, (QList<int>{1, 2, 0}));
    QCOMPARE(errors.at(1).kind(), RunError::Kind::Canceled);
    QCOMPARE(log->events(),
             (QStringList{QStringLiteral("start storage"), QStringLiteral("interrupt storage"),
                          QStringLiteral("exit storage")}));
}

// An object actor that ignores its interrupt holds storage back; destroying the group
// cannot wait for it (it could only exit through the event loop the destructor blocks):
// it is canceled, and then storage is interrupted and joined.
void tst_Ordering::destroyedWhileAnEventActorIgnoresItsInterrupt()
{
    auto log = std::make_shared<EventLog>();
    auto *group = new RunGroup;
    Emitter emitter;
    QCOMPARE(addLogged(*group, log, QStringLiteral("storage")), 0);
    QCOMPARE(group->addObject(&emitter, &Emitter::exitPlain, [] { /* ignored */ }), 1);
    QVERIFY(group->setDependencies(1, {0}));
    QList<QPair<int, RunError::Kind>> exits;
    connect(group, &RunGroup::actorExited, this, [&exits](int index, const RunError &error) {
        exits.append({index, error.kind()});
    });
    group->start();
    QTRY_VERIFY_WITH_TIMEOUT(log->events().contains(QStringLiteral("start storage")), kTimeout);
    group->stop();
    QCoreApplication::processEvents(); // the object's interrupt runs, and is ignored
    delete group;
    QCOMPARE(exits, (QList<QPair<int, RunError::Kind>>{{1, RunError::Kind::Canceled},
                                                       {0, RunError::Kind::NoError}}));
    QCOMPARE(log->events(),
             (QStringList{QStringLiteral("start storage"), QStringLiteral("interrupt storage"),
                          QStringLiteral("exit storage")}));
}

// The run ended with every actor ready: State::Interrupting at once (a readiness probe
// fails), the interrupts only after the delay.
void tst_Ordering::drainDelayHoldsInterruptsBack()
{
    auto log = std::make_shared<EventLog>();
    RunGroup group;
    QCOMPARE(addLogged(group, log, QStringLiteral("web")), 0);
    group.setDrainDelay(std::chrono::milliseconds(300));
    QCOMPARE(group.drainDelay(), 300);
    QSignalSpy ready(&group, &RunGroup::actorReady);
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeout);
    QElapsedTimer elapsed;
    elapsed.start();
    group.stop();
    QCOMPARE(group.state(), RunGroup::State::Interrupting);
    QTRY_VERIFY_WITH_TIMEOUT(log->events().contains(QStringLiteral("interrupt web")), kTimeout);
    QVERIFY2(elapsed.elapsed() >= 290, qPrintable(QString::number(elapsed.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(group.errors().at(0), RunError());
}

// Not every actor was ready: no probe said "ready", nothing to drain.
void tst_Ordering::drainDelayOnlyWhenEveryActorWasReady()
{
    auto log = std::make_shared<EventLog>();
    RunGroup group;
    QCOMPARE(addLogged(group, log, QStringLiteral("storage")), 0);
    group.requireReady(0);
    group.setDrainDelay(std::chrono::hours(24));
    group.start();
    QTRY_VERIFY_WITH_TIMEOUT(log->events().contains(QStringLiteral("start storage")), kTimeout);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(log->events().count(QStringLiteral("interrupt storage")), 1);
}

// Every actor exits on its own during the drain: the run finishes then, and each actor
// still gets its interrupt, once.
void tst_Ordering::drainEndsWhenEveryActorHasExited()
{
    auto log = std::make_shared<EventLog>();
    auto workerGate = std::make_shared<Gate>();
    auto webGate = std::make_shared<Gate>();
    RunGroup group;
    // Two actors that leave on their own; their interrupts only log.
    QCOMPARE(group.add(
                 [workerGate] {
                     return workerGate->wait() ? failure("worker failed") : failure("never opened");
                 },
                 [log] { log->add(QStringLiteral("interrupt worker")); }),
             0);
    QCOMPARE(group.add([webGate] { return webGate->wait() ? RunError() : failure("never opened"); },
                       [log] { log->add(QStringLiteral("interrupt web")); }),
             1);
    group.setDrainDelay(std::chrono::hours(24));
    QSignalSpy ready(&group, &RunGroup::actorReady);
    QSignalSpy exited(&group, &RunGroup::actorExited);
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, kTimeout);
    workerGate->open(); // the worker fails: the run ends and drains
    QTRY_COMPARE_WITH_TIMEOUT(exited.count(), 1, kTimeout);
    QCOMPARE(group.state(), RunGroup::State::Interrupting);
    group.stop(); // no effect: the run has ended already
    QVERIFY(log->events().isEmpty());
    webGate->open(); // the last actor leaves: nothing is left to drain
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(log->events().count(QStringLiteral("interrupt worker")), 1);
    QCOMPARE(log->events().count(QStringLiteral("interrupt web")), 1);
    QCOMPARE(group.error(), failure("worker failed"));
}

void tst_Ordering::destroyedWhileDraining()
{
    auto log = std::make_shared<EventLog>();
    auto *group = new RunGroup;
    QCOMPARE(addLogged(*group, log, QStringLiteral("web")), 0);
    group->setDrainDelay(std::chrono::hours(24));
    QSignalSpy ready(group, &RunGroup::actorReady);
    group->start();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(log->events().contains(QStringLiteral("start web")), kTimeout);
    group->stop();
    QCOMPARE(group->state(), RunGroup::State::Interrupting);
    delete group; // interrupts at once and joins
    QCOMPARE(log->events(),
             (QStringList{QStringLiteral("start web"), QStringLiteral("interrupt web"),
                          QStringLiteral("exit web")}));
}

// The shutdown timeout (1 s) is shorter than the drain (1.5 s): counted from the stop, it
// would fire while web still drains; counted from the interrupts, web exits in time.
void tst_Ordering::shutdownTimeoutCountsFromTheDrainsEnd()
{
    auto log = std::make_shared<EventLog>();
    RunGroup group;
    QCOMPARE(addLogged(group, log, QStringLiteral("web")), 0);
    group.setDrainDelay(1500);
    group.setShutdownTimeout(1000);
    QSignalSpy ready(&group, &RunGroup::actorReady);
    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeout);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(group.errors().at(0), RunError());
    QCOMPARE(group.error().kind(), RunError::Kind::Canceled);
}

void tst_Ordering::durationsRefusedOutOfRange()
{
    RunGroup group;
    group.setDrainDelay(10);
    group.setStartupTimeout(20);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setDrainDelay: The delay must not be negative");
    group.setDrainDelay(-1);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setDrainDelay: The delay must be at most "
                                       "2147483647 ms, not 4294967596 ms");
    group.setDrainDelay(std::chrono::milliseconds((qint64(1) << 32) + 300));
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setStartupTimeout: The timeout must be at most 2147483647 ms, "
                         "not 2147483648 ms");
    group.setStartupTimeout(std::chrono::milliseconds(qint64(INT_MAX) + 1));
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setStartupTimeout: The timeout must not be negative");
    group.setStartupTimeout(std::chrono::milliseconds(-5));
    QCOMPARE(group.drainDelay(), 10);
    QCOMPARE(group.startupTimeout(), 20);
    group.setDrainDelay(std::chrono::milliseconds(INT_MAX));
    QCOMPARE(group.drainDelay(), INT_MAX);
}

void tst_Ordering::startupTimeoutNamesActorsNotReady()
{
    RunGroup group;
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate), opener(gate), nullptr, QStringLiteral("storage")), 0);
    QCOMPARE(group.add(waitFor(gate), opener(gate), nullptr, QStringLiteral("web")), 1);
    group.requireReady(0);
    QVERIFY(group.setDependencies(1, {0}));
    group.setStartupTimeout(50);
    QCOMPARE(group.startupTimeout(), 50);
    const RunError error = runToEnd(group);
    QCOMPARE(error.kind(), RunError::Kind::Timeout);
    QVERIFY2(error.message().contains(QStringLiteral("storage, web")), qPrintable(error.message()));
}

void tst_Ordering::startupTimeoutMetDoesNothing()
{
    RunGroup group;
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
    group.requireReady(0);
    group.setStartupTimeout(50);
    group.start();
    group.markReady(0);
    QTest::qWait(150);
    QCOMPARE(group.state(), RunGroup::State::Running);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(group.error(), RunError::canceled());
}

void tst_Ordering::actorModelFollowsTheRun()
{
    RunGroup group;
    QAbstractItemModel *model = group.actorModel();
    QVERIFY(model);
    QCOMPARE(model, group.actorModel());
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate), opener(gate), nullptr, QStringLiteral("storage")), 0);
    QCOMPARE(group.add(waitFor(gate), opener(gate), nullptr, QStringLiteral("web")), 1);
    QCOMPARE(model->rowCount(), 2);
    const QHash<int, QByteArray> roles = model->roleNames();
    const int name = roles.key("name"), state = roles.key("state"), error = roles.key("error"),
              dependencies = roles.key("dependencies"), since = roles.key("since");
    QVERIFY(name && state && error && dependencies && since);
    const auto stateOf = [&](int row) { return model->index(row, 0).data(state).toString(); };
    QCOMPARE(model->index(1, 0).data(name).toString(), QStringLiteral("web"));
    QCOMPARE(stateOf(0), QStringLiteral("idle"));
    group.requireReady(0);
    QVERIFY(group.setDependencies(1, {0}));
    QCOMPARE(model->index(1, 0).data(dependencies).value<QList<int>>(), QList<int>{0});
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    group.start();
    QVERIFY(!changed.isEmpty());
    QCOMPARE(stateOf(0), QStringLiteral("running"));
    QCOMPARE(stateOf(1), QStringLiteral("waiting"));
    QVERIFY(model->index(0, 0).data(since).toDateTime().isValid());
    group.markReady(0);
    QCOMPARE(stateOf(0), QStringLiteral("ready"));
    QCOMPARE(stateOf(1), QStringLiteral("ready"));
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(stateOf(0), QStringLiteral("exited"));
    QCOMPARE(model->index(0, 0).data(error).value<RunError>(), RunError());
}

// A QTableView shows the model as it is: a column per role, with headers and text.
void tst_Ordering::actorModelHasColumnsForATableView()
{
    auto log = std::make_shared<EventLog>();
    RunGroup group;
    QCOMPARE(addLogged(group, log, QStringLiteral("storage")), 0);
    QCOMPARE(addLogged(group, log, QStringLiteral("web")), 1);
    QVERIFY(group.setDependencies(1, {0}));
    group.requireReady(0);
    QAbstractItemModel *model = group.actorModel();
    QCOMPARE(model->columnCount(), 7);
    QStringList headers;
    for (int c = 0; c < model->columnCount(); ++c)
        headers.append(model->headerData(c, Qt::Horizontal).toString());
    QCOMPARE(headers,
             (QStringList{QStringLiteral("Name"), QStringLiteral("State"), QStringLiteral("Error"),
                          QStringLiteral("Dependencies"), QStringLiteral("Since"),
                          QStringLiteral("Restarts"), QStringLiteral("Next attempt")}));
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    group.start();
    QTRY_VERIFY_WITH_TIMEOUT(log->events().contains(QStringLiteral("start storage")), kTimeout);
    const auto text = [model](int row, int column) {
        return model->index(row, column).data(Qt::DisplayRole).toString();
    };
    QCOMPARE(text(0, 0), QStringLiteral("storage"));
    QCOMPARE(text(0, 1), QStringLiteral("running"));
    QCOMPARE(text(1, 1), QStringLiteral("waiting"));
    QCOMPARE(text(1, 3), QStringLiteral("0"));
    QCOMPARE(text(1, 5), QStringLiteral("0"));
    QVERIFY(!text(0, 4).isEmpty()); // since
    QVERIFY(!changed.isEmpty());
    QCOMPARE(changed.last().at(1).value<QModelIndex>().column(), 6); // whole rows change
    // The roles read the same from every column.
    QCOMPARE(model->index(0, 3).data(model->roleNames().key("name")).toString(),
             QStringLiteral("storage"));
    group.stop(failure("stop"));
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(text(0, 1), QStringLiteral("exited"));
    QCOMPARE(text(0, 2), RunError().toString()); // storage left when interrupted
    QCOMPARE(text(1, 2), RunError::canceled(QStringLiteral("RunGroup: Actor 1 did not start: the "
                                                           "run ended before its dependencies "
                                                           "were ready"))
                             .toString());
}

void tst_Ordering::setDependenciesRefusesBadInput()
{
    RunGroup group;
    for (int i = 0; i < 3; ++i)
        QCOMPARE(group.add([] {}, {}, nullptr, QStringLiteral("a%1").arg(i)), i);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setDependencies: There is no actor 3");
    QVERIFY(!group.setDependencies(3, {0}));
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setDependencies: actor 0 (a0) cannot depend "
                                       "on actor 7: no such actor");
    QVERIFY(!group.setDependencies(0, {7}));
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setDependencies: actor 0 (a0) cannot depend on itself");
    QVERIFY(!group.setDependencies(0, {0}));
    QVERIFY(group.setDependencies(0, {1}));
    QVERIFY(group.setDependencies(1, {2}));
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setDependencies: actor 2 (a2) cannot depend on actor 0 (a0), "
                         "which depends on it: that would make a cycle");
    QVERIFY(!group.setDependencies(2, {0}));
    QCOMPARE(group.dependencies(2), QList<int>());
    QCOMPARE(group.dependencies(0), QList<int>{1});
    QVERIFY(group.setDependencies(0, {})); // cleared
    QCOMPARE(group.dependencies(0), QList<int>());
    QCOMPARE(group.dependencies(-1), QList<int>());
}

void tst_Ordering::markReadyRefusesBadInput()
{
    RunGroup group;
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate), opener(gate), nullptr, QStringLiteral("storage")), 0);
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 1);
    group.requireReady(0);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::markReady: The group is not running");
    group.markReady(0);
    group.start();
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::markReady: There is no actor 5");
    group.markReady(5);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::markReady: actor 1 does not require readiness "
                                       "(it is ready once started)");
    group.markReady(1);
    group.markReady(0);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::markReady: actor 0 (storage) is already ready");
    group.markReady(0);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::markReady: The group is not running");
    group.markReady(0);
}

void tst_Ordering::configurationRefusedWhileRunning()
{
    RunGroup group;
    auto gate = std::make_shared<Gate>();
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 0);
    QCOMPARE(group.add(waitFor(gate), opener(gate)), 1);
    group.start();
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::setDependencies: Cannot change the order while "
                                       "the group is running");
    QVERIFY(!group.setDependencies(1, {0}));
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::requireReady: Cannot change the order while "
                                       "the group is running");
    group.requireReady(0);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::setStartupTimeout: The timeout must not be negative");
    group.setStartupTimeout(-1);
    QCOMPARE(group.startupTimeout(), 0);
    group.stop();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), RunGroup::State::Finished, kTimeout);
    QCOMPARE(group.dependencies(1), QList<int>());
}

QTEST_GUILESS_MAIN(tst_Ordering)
#include "tst_ordering.moc"
