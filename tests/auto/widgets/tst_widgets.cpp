// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// examples/widgets on real widgets (offscreen): closing the window stops both background
// actors before the run finishes; a worker failure restarts the worker, the window
// staying open and its status bar showing the attempt; one failure more than the restart
// limit allows shows a message box, then closes the window.

#include "dashboard.h"

#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>

constexpr int kTimeout = 60000;

char *toString(const RunError &error)
{
    return QTest::toString(error.toString());
}

namespace {

// The example as its main() builds it, started and shown, with its finished() recorded.
struct Example
{
    Example()
    {
        addActors(group, window, worker, job);
        // What was still running when finished() came: nothing may be.
        QObject::connect(&group, &RunGroup::finished, &group,
                         [this] { jobRunningAtFinish = job.isRunning(); });
        group.start();
        window.show();
    }
    RunError finishedError() const { return finished.first().first().value<RunError>(); }

    Dashboard window;
    ProgressWorker worker;
    const QFuture<void> job = startPrimesJob();
    RunGroup group; // after what its actors use
    QSignalSpy finished{&group, &RunGroup::finished};
    QSignalSpy restarting{&group, &RunGroup::actorRestarting};
    bool jobRunningAtFinish = true;
};

} // namespace

class tst_Widgets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void closingStopsWorkers();
    void workerFailureRestartsWorker();
    void workerFailureShowsMessageBox();
};

namespace {
constexpr int kWorker = 1;
const QString kFailure = QStringLiteral("worker: the disk is on fire (simulated)");

// Makes the worker fail once and waits until it has restarted (its restart-th) and reports
// progress again.
bool failAndRestart(Example &example, int restart)
{
    QTest::mouseClick(example.window.failButton(), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return example.restarting.size() == restart; }, kTimeout))
        return false;
    // The model's state is "restarting" during the backoff, then "ready" again (the worker
    // is ready once started).
    const QAbstractItemModel *model = example.group.actorModel();
    const int stateRole = model->roleNames().key(QByteArrayLiteral("state"));
    return QTest::qWaitFor(
        [&] { return model->index(kWorker, 0).data(stateRole).toString() == u"ready"; }, kTimeout);
}
} // namespace

void tst_Widgets::closingStopsWorkers()
{
    Example example;
    Dashboard &window = example.window;
    QCOMPARE(example.group.count(), 3);
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Both background actors report progress to the window.
    QTRY_VERIFY_WITH_TIMEOUT(window.workerProgress()->value() > 0, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(window.jobStatus()->text().contains(QStringLiteral("primes found")),
                             kTimeout);

    QVERIFY(window.close());
    QTRY_COMPARE_WITH_TIMEOUT(example.finished.size(), 1, kTimeout);
    QCOMPARE(example.finishedError(), RunError());
    QCOMPARE(example.group.errors().value(1), RunError()); // the worker returned when asked
    QCOMPARE(example.group.errors().value(2).kind(), RunError::Kind::Canceled); // job canceled
    QVERIFY(!example.jobRunningAtFinish);
    QVERIFY(example.job.isCanceled());
}

void tst_Widgets::workerFailureRestartsWorker()
{
    Example example;
    Dashboard &window = example.window;
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(window.workerProgress()->value() > 0, kTimeout);

    QTest::mouseClick(window.failButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(example.restarting.size(), 1, kTimeout);
    QCOMPARE(example.restarting.first().at(0).toInt(), kWorker);
    QCOMPARE(example.restarting.first().at(1).value<RunError>(), RunError::failure(kFailure));
    QCOMPARE(example.restarting.first().at(2).toInt(), 1);
    // The status bar says why and when, from actorRestarting() and the model's nextAttempt:
    // the first backoff is 400 ms, ±20% jitter.
    const QString status = window.statusBar()->currentMessage();
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral("^worker failed: (.*); restart 1 in (\\d+) ms$"))
            .match(status);
    QVERIFY2(match.hasMatch(), qPrintable(status));
    QCOMPARE(match.captured(1), kFailure);
    QVERIFY2(match.captured(2).toInt() <= 480, qPrintable(status));

    // The worker runs again, the window stays open, and the run goes on.
    QTRY_COMPARE_WITH_TIMEOUT(window.statusBar()->currentMessage(),
                              QStringLiteral("worker running again (restart 1)"), kTimeout);
    QCOMPARE(example.group.restartCount(kWorker), 1);
    window.workerProgress()->reset(); // value() is -1 until the restarted worker reports
    QTRY_VERIFY_WITH_TIMEOUT(window.workerProgress()->value() >= 0, kTimeout);
    QVERIFY(window.isVisible());
    QVERIFY(window.failButton()->isEnabled());
    QVERIFY(example.group.isRunning());
    QVERIFY(example.finished.isEmpty());
    QVERIFY(!window.findChild<QMessageBox *>());

    QVERIFY(window.close());
    QTRY_COMPARE_WITH_TIMEOUT(example.finished.size(), 1, kTimeout);
    QCOMPARE(example.finishedError(), RunError());
    QCOMPARE(example.group.restartCount(kWorker), 1);
}

void tst_Widgets::workerFailureShowsMessageBox()
{
    Example example;
    Dashboard &window = example.window;
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(window.workerProgress()->value() > 0, kTimeout);

    // The restarts the limit allows, each reported in the status bar; then one failure more.
    for (int restart = 1; restart <= kWorkerMaxRestarts; ++restart) {
        QVERIFY(failAndRestart(example, restart));
        QVERIFY(window.isVisible());
        QVERIFY(example.finished.isEmpty());
    }
    QTest::mouseClick(window.failButton(), Qt::LeftButton);
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = window.findChild<QMessageBox *>()) && box->isVisible(),
                             kTimeout);
    QCOMPARE(box->text(), QStringLiteral("worker: the disk is on fire (simulated)"));
    QCOMPARE(box->icon(), QMessageBox::Critical);
    // The window stays until the user has read the message; the workers stop meanwhile.
    QVERIFY(window.isVisible());
    QVERIFY(!window.failButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(example.job.isFinished(), kTimeout);
    QVERIFY(example.finished.isEmpty());

    QVERIFY(QTest::qWaitForWindowExposed(box));
    QTest::mouseClick(box->button(QMessageBox::Ok), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(example.finished.size(), 1, kTimeout);
    QVERIFY(!window.isVisible());
    QCOMPARE(example.finishedError(), RunError::failure(kFailure));
    QCOMPARE(example.restarting.size(), kWorkerMaxRestarts);
}

QTEST_MAIN(tst_Widgets)
#include "tst_widgets.moc"
