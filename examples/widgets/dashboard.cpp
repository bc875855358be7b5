// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "dashboard.h"

#include <RunGroup/HandOver>

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QAbstractItemModel>
#include <QtCore/QDateTime>
#include <QtCore/QPromise>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>
#include <chrono>
#include <limits>
#include <thread>

using namespace std::chrono_literals;

Dashboard::Dashboard(QWidget *parent)
    : QMainWindow(parent), m_workerProgress(new QProgressBar), m_jobStatus(new QLabel),
      m_failButton(new QPushButton(tr("Make the worker fail")))
{
    setWindowTitle(tr("RunGroup widgets example"));
    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    auto *form = new QFormLayout;
    m_workerProgress->setRange(0, 100);
    m_jobStatus->setText(tr("starting…"));
    form->addRow(tr("Worker thread:"), m_workerProgress);
    form->addRow(tr("QtConcurrent job:"), m_jobStatus);
    layout->addLayout(form);
    auto *hint = new QLabel(tr("Close the window to stop both background actors; the "
                               "application exits once they have stopped."));
    hint->setWordWrap(true);
    layout->addWidget(hint);
    layout->addWidget(m_failButton);
    setCentralWidget(central);
    statusBar()->showMessage(tr("Running"));
    resize(420, 200);

    connect(m_failButton, &QPushButton::clicked, this, &Dashboard::failRequested);
    connect(&m_jobWatcher, &QFutureWatcher<void>::progressValueChanged, this,
            [this](int primes) { m_jobStatus->setText(tr("%n primes found", nullptr, primes)); });
}

void Dashboard::watchJob(const QFuture<void> &job)
{
    m_jobWatcher.setFuture(job);
}

void Dashboard::setWorkerProgress(int percent)
{
    m_workerProgress->setValue(percent);
}

void Dashboard::showWorkerRestarting(const RunError &error, int attempt, qint64 delayMs)
{
    statusBar()->showMessage(tr("worker failed: %1; restart %2 in %3 ms")
                                 .arg(error.message())
                                 .arg(attempt)
                                 .arg(delayMs));
}

void Dashboard::showWorkerRestarted(int attempt)
{
    statusBar()->showMessage(tr("worker running again (restart %1)").arg(attempt));
}

void Dashboard::shutDown(const RunError &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_failButton->setEnabled(false);
    // Being asked to stop (a signal, stop()) is no news; a failure or an exception is.
    const bool failed =
        reason.kind() == RunError::Kind::Failure || reason.kind() == RunError::Kind::Exception;
    if (!failed || !isVisible()) {
        close();
        return;
    }
    // The other actors are being interrupted meanwhile; the window closes (and the run
    // ends) when the user has read why.
    auto *box = new QMessageBox(QMessageBox::Critical, tr("Background work failed"),
                                reason.message(), QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, &QWidget::close);
    box->open();
}

void Dashboard::closeEvent(QCloseEvent *event)
{
    QMainWindow::closeEvent(event);
    if (event->isAccepted())
        Q_EMIT closed();
}

RunError ProgressWorker::run(Dashboard *window)
{
    std::unique_lock lock(m_mutex);
    for (int step = 0;; step = (step + 1) % 101) {
        if (m_fail.exchange(false))
            return RunError::failure(QStringLiteral("worker: the disk is on fire (simulated)"));
        HandOver::post(window, [window, step] { window->setWorkerProgress(step); });
        if (m_wake.wait_for(lock, 30ms, [this] { return m_stopping; }))
            return RunError();
    }
}

void ProgressWorker::interrupt()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
}

QFuture<void> startPrimesJob()
{
    return QtConcurrent::run([](QPromise<void> &promise) {
        promise.setProgressRange(0, std::numeric_limits<int>::max());
        int primes = 0;
        for (quint64 n = 2; !promise.isCanceled(); ++n) {
            bool prime = true;
            for (quint64 d = 2; d * d <= n && prime; ++d)
                prime = n % d != 0;
            if (prime && ++primes % 500 == 0) {
                promise.setProgressValue(primes);
                // Background work that leaves the CPU to others now and then.
                std::this_thread::sleep_for(20ms);
            }
        }
    });
}

void addActors(RunGroup &group, Dashboard &window, ProgressWorker &worker, const QFuture<void> &job)
{
    group.addObject(&window, &Dashboard::closed, &Dashboard::shutDown, QStringLiteral("window"));
    QObject::connect(&window, &Dashboard::failRequested, &window,
                     [&worker] { worker.requestFailure(); });
    const int workerIndex =
        group.add([&worker, &window] { return worker.run(&window); },
                  [&worker] { worker.interrupt(); }, nullptr, QStringLiteral("worker"));
    // A failure restarts the worker while the window stays open; too many end the run.
    group.setExitPolicy(workerIndex, RunGroup::ExitPolicy::RestartOnError);
    group.setRestartLimit(workerIndex, kWorkerMaxRestarts, kWorkerRestartWindow);
    group.setRestartBackoff(workerIndex, kWorkerBackoff, kWorkerBackoffMax);
    QObject::connect(&group, &RunGroup::actorRestarting, &window,
                     [&group, &window, workerIndex](int index, const RunError &error, int attempt) {
                         if (index != workerIndex)
                             return;
                         // The actor model's nextAttempt: when the worker starts again.
                         const QAbstractItemModel *model = group.actorModel();
                         const QDateTime next =
                             model->index(index, 0)
                                 .data(model->roleNames().key(QByteArrayLiteral("nextAttempt")))
                                 .toDateTime();
                         const qint64 delay =
                             next.isValid()
                                 ? std::max<qint64>(0, QDateTime::currentDateTime().msecsTo(next))
                                 : 0;
                         window.showWorkerRestarting(error, attempt, delay);
                     });
    QObject::connect(&group, &RunGroup::actorStarted, &window,
                     [&group, &window, workerIndex](int index) {
                         if (index == workerIndex && group.restartCount(index) > 0)
                             window.showWorkerRestarted(group.restartCount(index));
                     });
    window.watchJob(job);
    group.add(job, QStringLiteral("primes"));
}
