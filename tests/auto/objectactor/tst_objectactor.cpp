// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Object actors, addObject(): bad input, exit signals and their first argument, the forms
// of interrupt, and the object destroyed before or during a run.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <atomic>
#include <memory>

#include "emitter.h"
#include "grouplog.h"
#include "interruptlog.h"
#include "rungrouptest.h"
#include "rungrouptestcase.h"
#include "testsync.h"
#include "workerthread.h"

class tst_ObjectActor : public RunGroupTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void addObjectNull();
    void addObjectNotASignal();
    void addObjectExitSignal_data();
    void addObjectExitSignal();
    void addObjectSignalBeforeStartIgnored();
    void addObjectInterrupt_data();
    void addObjectInterrupt();
    void addObjectDestroyedWhileRunning();
    void addObjectDestroyedBeforeStart();
};

void tst_ObjectActor::addObjectNull()
{
    RunGroup group;
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addObject: object is null");
    QCOMPARE(group.addObject(static_cast<Emitter *>(nullptr), &Emitter::exitPlain), -1);
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::addObject: object is null");
    QCOMPARE(group.addObject(static_cast<Emitter *>(nullptr), &Emitter::exitWithError,
                             &Emitter::interruptWithError),
             -1);
    QCOMPARE(group.count(), 0);
}

void tst_ObjectActor::addObjectNotASignal()
{
    Emitter emitter;
    RunGroup group;
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::addObject: exitSignal is not a signal of the object's class");
    QCOMPARE(group.addObject(&emitter, &Emitter::notASignal), -1);
    QCOMPARE(group.count(), 0);
}

namespace {
enum class ExitSignal { Plain, Int, Error, Message, Timer };
} // namespace

void tst_ObjectActor::addObjectExitSignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<RunError>("errorArgument");
    QTest::addColumn<QString>("messageArgument");
    QTest::addColumn<RunError>("expected");

    QTest::addRow("no arguments") << int(ExitSignal::Plain) << RunError() << QString()
                                  << RunError();
    QTest::addRow("int") << int(ExitSignal::Int) << RunError() << QString() << RunError();
    QTest::addRow("RunError failure")
        << int(ExitSignal::Error) << failure("bad") << QString() << failure("bad");
    QTest::addRow("RunError canceled")
        << int(ExitSignal::Error) << RunError::canceled(QStringLiteral("c")) << QString()
        << RunError::canceled(QStringLiteral("c"));
    QTest::addRow("RunError none")
        << int(ExitSignal::Error) << RunError() << QString() << RunError();
    QTest::addRow("QString") << int(ExitSignal::Message) << RunError()
                             << QStringLiteral("disk full") << failure("disk full");
    QTest::addRow("empty QString")
        << int(ExitSignal::Message) << RunError() << QString() << RunError();
    QTest::addRow("QTimer::timeout")
        << int(ExitSignal::Timer) << RunError() << QString() << RunError();
}

// The exit signal's first argument decides the error; it counts from start() on.
void tst_ObjectActor::addObjectExitSignal()
{
    QFETCH(int, signal);
    QFETCH(RunError, errorArgument);
    QFETCH(QString, messageArgument);
    QFETCH(RunError, expected);

    Emitter emitter;
    QTimer timer;
    timer.setSingleShot(true);
    timer.setInterval(0);
    RunGroup group;
    int index = -1;
    switch (ExitSignal(signal)) {
    case ExitSignal::Plain: index = group.addObject(&emitter, &Emitter::exitPlain); break;
    case ExitSignal::Int: index = group.addObject(&emitter, &Emitter::exitWithInt); break;
    case ExitSignal::Error: index = group.addObject(&emitter, &Emitter::exitWithError); break;
    case ExitSignal::Message: index = group.addObject(&emitter, &Emitter::exitWithMessage); break;
    case ExitSignal::Timer: index = group.addObject(&timer, &QTimer::timeout); break;
    }
    QCOMPARE(index, 0);
    GroupLog events(&group);
    auto cleanup = qScopeGuard([&] { group.stop(); });

    group.start();
    // Emitted synchronously right after start() returns: it counts.
    switch (ExitSignal(signal)) {
    case ExitSignal::Plain: Q_EMIT emitter.exitPlain(); break;
    case ExitSignal::Int: Q_EMIT emitter.exitWithInt(5); break;
    case ExitSignal::Error: Q_EMIT emitter.exitWithError(errorArgument); break;
    case ExitSignal::Message: Q_EMIT emitter.exitWithMessage(messageArgument); break;
    case ExitSignal::Timer: timer.start(); break;
    }

    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    QCOMPARE(events.exitError(0), expected);
    QCOMPARE(events.finishedError(), expected);
    QCOMPARE(group.errors(), QList<RunError>({expected}));
    const QString problem = events.checkRun(1);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

// Exit signals emitted before start() or twice in a run are not exits.
void tst_ObjectActor::addObjectSignalBeforeStartIgnored()
{
    Emitter emitter;
    RunGroup group;
    QCOMPARE(group.addObject(&emitter, &Emitter::exitWithMessage), 0);
    GroupLog events(&group);
    auto cleanup = qScopeGuard([&] { group.stop(); });

    Q_EMIT emitter.exitWithMessage(QStringLiteral("early"));
    group.start();
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(events.count(GroupLog::Exited), 0);
    QCOMPARE(group.state(), RunGroup::State::Running);

    Q_EMIT emitter.exitWithMessage(QStringLiteral("late"));
    Q_EMIT emitter.exitWithMessage(QStringLiteral("again"));
    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    QCOMPARE(events.finishedError(), failure("late"));
    QCoreApplication::processEvents();
    const QString problem = events.checkRun(1);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // After finished: still nothing.
    Q_EMIT emitter.exitWithMessage(QStringLiteral("after"));
    QCoreApplication::processEvents();
    QCOMPARE(events.count(GroupLog::Exited), 1);
    QCOMPARE(group.state(), RunGroup::State::Finished);
    QCOMPARE(group.errors(), QList<RunError>({failure("late")}));
}

namespace {
enum class ObjectInterrupt { MemberWithError, MemberPlain, LambdaWithError, LambdaPlain };
} // namespace

void tst_ObjectActor::addObjectInterrupt_data()
{
    QTest::addColumn<int>("form");
    QTest::addColumn<bool>("onWorker");
    QTest::addRow("member function (const RunError &)")
        << int(ObjectInterrupt::MemberWithError) << false;
    QTest::addRow("member function ()") << int(ObjectInterrupt::MemberPlain) << false;
    QTest::addRow("lambda (const RunError &)") << int(ObjectInterrupt::LambdaWithError) << false;
    QTest::addRow("lambda ()") << int(ObjectInterrupt::LambdaPlain) << false;
    QTest::addRow("member function, object on a worker thread")
        << int(ObjectInterrupt::MemberWithError) << true;
    QTest::addRow("lambda, object on a worker thread")
        << int(ObjectInterrupt::LambdaWithError) << true;
}

// addObject's interrupt: a member function or a callable, queued on the object's thread.
void tst_ObjectActor::addObjectInterrupt()
{
    QFETCH(int, form);
    QFETCH(bool, onWorker);
    WorkerThread worker(QStringLiteral("objectThread"));
    Emitter localEmitter;
    Emitter *emitter = onWorker ? worker.create<Emitter>() : &localEmitter;
    auto gate = std::make_shared<Gate>();
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    int index = -1;
    switch (ObjectInterrupt(form)) {
    case ObjectInterrupt::MemberWithError:
        index = group.addObject(emitter, &Emitter::exitWithError, &Emitter::interruptWithError);
        break;
    case ObjectInterrupt::MemberPlain:
        index = group.addObject(emitter, &Emitter::exitPlain, &Emitter::interruptPlain);
        break;
    case ObjectInterrupt::LambdaWithError:
        index =
            group.addObject(emitter, &Emitter::exitWithMessage, [emitter](const RunError &error) {
                emitter->record(error);
                Q_EMIT emitter->exitWithMessage(QString());
            });
        break;
    case ObjectInterrupt::LambdaPlain:
        index = group.addObject(emitter, &Emitter::exitPlain, [emitter] {
            emitter->record(RunError());
            Q_EMIT emitter->exitPlain();
        });
        break;
    }
    QCOMPARE(index, 0);
    QCOMPARE(group.add(waitFor(gate, failure("first"))), 1);
    GroupLog events(&group);

    group.start();
    gate->open();
    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    QCOMPARE(events.finishedError(), failure("first"));
    QCOMPARE(group.errors(), QList<RunError>({RunError(), failure("first")}));
    const QString problem = events.checkRun(2);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    const QList<RunError> interrupts = emitter->interrupts();
    QCOMPARE(interrupts.size(), 1);
    const bool withError = ObjectInterrupt(form) == ObjectInterrupt::MemberWithError
                           || ObjectInterrupt(form) == ObjectInterrupt::LambdaWithError;
    if (withError)
        QCOMPARE(interrupts.front(), failure("first"));
    QCOMPARE(emitter->interruptThreads(), QList<QThread *>({emitter->thread()}));
}

// addObject's object destroyed while running: the actor exits with RunError::canceled().
void tst_ObjectActor::addObjectDestroyedWhileRunning()
{
    auto calls = std::make_shared<std::atomic<int>>(0);
    auto log = std::make_shared<InterruptLog>();
    auto gate = std::make_shared<Gate>();
    auto *emitter = new Emitter;
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group.addObject(emitter, &Emitter::exitPlain, [calls] { ++*calls; }), 0);
    QCOMPARE(group.add(waitFor(gate), recordAndOpen(log, 1, gate)), 1);
    GroupLog events(&group);

    group.start();
    QCoreApplication::processEvents();
    delete emitter;
    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    QCOMPARE(events.exits().front().index, 0);
    QCOMPARE(events.exitError(0), RunError::canceled());
    QCOMPARE(events.finishedError(), RunError::canceled());
    QCOMPARE(group.errors(), QList<RunError>({RunError::canceled(), RunError()}));
    QTRY_COMPARE_WITH_TIMEOUT(log->count(), 1, kTimeout);
    QCOMPARE(log->calls().front().error, RunError::canceled());
    QCoreApplication::processEvents();
    QCOMPARE(calls->load(), 0); // its context is gone
}

// addObject's object destroyed before start(): the actor exits canceled once the run starts.
void tst_ObjectActor::addObjectDestroyedBeforeStart()
{
    auto log = std::make_shared<InterruptLog>();
    auto gate = std::make_shared<Gate>();
    auto *emitter = new Emitter;
    RunGroup group;
    auto release = qScopeGuard([&] { gate->open(); });
    QCOMPARE(group.add(waitFor(gate), recordAndOpen(log, 0, gate)), 0);
    QCOMPARE(group.addObject(emitter, &Emitter::exitPlain), 1);
    delete emitter;
    GroupLog events(&group);

    group.start();
    QTRY_COMPARE_WITH_TIMEOUT(events.count(GroupLog::Finished), 1, kTimeout);
    const QString problem = events.checkRun(2);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(events.exits().front().index, 1);
    QCOMPARE(events.exitError(1), RunError::canceled());
    QCOMPARE(events.finishedError(), RunError::canceled());
    QCOMPARE(log->calls().size(), size_t(1));
    QCOMPARE(log->calls().front().error, RunError::canceled());
}

QTEST_GUILESS_MAIN(tst_ObjectActor)
#include "tst_objectactor.moc"
