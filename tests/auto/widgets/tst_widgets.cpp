// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// examples/widgets on real widgets (offscreen): closing the window stops both background
// actors before the run finishes; a worker failure shows a message box, then closes the
// window.

#include "dashboard.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>

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
    bool jobRunningAtFinish = true;
};

} // namespace

class tst_Widgets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void closingStopsWorkers();
    void workerFailureShowsMessageBox();
};

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

void tst_Widgets::workerFailureShowsMessageBox()
{
    Example example;
    Dashboard &window = example.window;
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(window.workerProgress()->value() > 0, kTimeout);

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
    QCOMPARE(example.finishedError(),
             RunError::failure(QStringLiteral("worker: the disk is on fire (simulated)")));
}

QTEST_MAIN(tst_Widgets)
#include "tst_widgets.moc"
