// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The ready-made actor for a nested group, addGroup(): started and stopped with its parent,
// staged shutdown, bad input.

#include <RunGroup/RunGroup>

#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <memory>
#include <mutex>

#include "rungrouptest.h"
#include "testsync.h"

class tst_NestedGroup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void groupStartsAndStopsWithParent();
    void groupErrorEndsParent();
    void groupStagedShutdown();
    void groupDestroyedWhileRunning();
    void groupRunningWhenParentStarts();
    void groupBadInput();
};

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

void tst_NestedGroup::groupStartsAndStopsWithParent()
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

void tst_NestedGroup::groupErrorEndsParent()
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

void tst_NestedGroup::groupStagedShutdown()
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

void tst_NestedGroup::groupDestroyedWhileRunning()
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

void tst_NestedGroup::groupRunningWhenParentStarts()
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

void tst_NestedGroup::groupBadInput()
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

QTEST_GUILESS_MAIN(tst_NestedGroup)
#include "tst_nestedgroup.moc"
