// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The ready-made actor for a deadline, addTimeout().

#include <RunGroup/RunGroup>

#include <QtCore/QElapsedTimer>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <chrono>
#include <climits>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include "rungrouptest.h"
#include "testseams_p.h"
#include "testsync.h"

using namespace std::chrono_literals;

class tst_Timeout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timeoutEndsRun();
    void timeoutInterrupted();
    void timeoutRestartsEachRun();
    void timeoutInvalid_data();
    void timeoutInvalid();
    void timeoutBeyondIntRange_data();
    void timeoutBeyondIntRange();
    void timeoutWaitsInSteps();
    void timeoutOnMovedGroup();
};

void tst_Timeout::timeoutEndsRun()
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

void tst_Timeout::timeoutInterrupted()
{
    RunGroup group;
    QCOMPARE(group.addTimeout(1h, QStringLiteral("deadline")), 0);
    QCOMPARE(group.actorName(0), QStringLiteral("deadline"));
    group.add([] { return RunError::failure(QStringLiteral("first")); });
    QCOMPARE(runToEnd(group), RunError::failure(QStringLiteral("first")));
    QCOMPARE(group.errors().value(0), RunError());
}

void tst_Timeout::timeoutRestartsEachRun()
{
    RunGroup group;
    group.addTimeout(20);
    for (int run = 0; run < 2; ++run)
        QCOMPARE(runToEnd(group).kind(), RunError::Kind::Timeout);
}

void tst_Timeout::timeoutInvalid_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addRow("zero") << qint64(0);
    QTest::addRow("negative") << qint64(-5);
    QTest::addRow("INT_MIN") << qint64(INT_MIN);
    QTest::addRow("milliseconds::min()") << qint64(std::chrono::milliseconds::min().count());
}

void tst_Timeout::timeoutInvalid()
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

void tst_Timeout::timeoutBeyondIntRange_data()
{
    // Qt 6.4's timers take an int: these fired after 300 ms (2^32 + 300 truncated), or
    // never, with a warning about a negative interval.
    QTest::addColumn<qint64>("ms");
    QTest::addRow("INT_MAX + 1") << qint64(INT_MAX) + 1;
    QTest::addRow("2^32 + 300") << (qint64(1) << 32) + 300;
    QTest::addRow("UINT_MAX") << qint64(UINT_MAX);
    QTest::addRow("milliseconds::max()") << qint64(std::chrono::milliseconds::max().count());
}

void tst_Timeout::timeoutBeyondIntRange()
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

void tst_Timeout::timeoutWaitsInSteps()
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

void tst_Timeout::timeoutOnMovedGroup()
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

QTEST_GUILESS_MAIN(tst_Timeout)
#include "tst_timeout.moc"
