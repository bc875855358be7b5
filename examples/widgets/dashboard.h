// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The widgets example's parts, shared by its main() and tests/auto/widgets.
//
// A main window and two background actors run as one RunGroup:
//   window  the Dashboard: closing it ends the run; its interrupt closes it, after a
//           message box when the run ended with an error
//   worker  a thread of its own, reporting progress (0-100 %, again and again); it
//           restarts when it fails (RunGroup::ExitPolicy::RestartOnError, with a
//           backoff), the status bar showing the attempt, and ends the run only after
//           kWorkerMaxRestarts restarts within kWorkerRestartWindow
//   primes  a QtConcurrent job counting primes until canceled, reporting its count
// Closing the window interrupts both workers; the application exits once they have
// stopped (on the group's finished(), not on the last window closed).

#ifndef RUNGROUP_EXAMPLES_WIDGETS_DASHBOARD_H
#define RUNGROUP_EXAMPLES_WIDGETS_DASHBOARD_H

#include <RunGroup/RunGroup>

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtWidgets/QMainWindow>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

// The worker's restarts: a backoff of 400 ms, doubled for each next restart up to 5 s;
// a fourth failure within 30 s ends the run.
inline constexpr int kWorkerMaxRestarts = 3;
inline constexpr std::chrono::milliseconds kWorkerRestartWindow{30000};
inline constexpr std::chrono::milliseconds kWorkerBackoff{400};
inline constexpr std::chrono::milliseconds kWorkerBackoffMax{5000};

class QLabel;
class QProgressBar;
class QPushButton;

class Dashboard : public QMainWindow
{
    Q_OBJECT
public:
    explicit Dashboard(QWidget *parent = nullptr);

    QProgressBar *workerProgress() const { return m_workerProgress; }
    QLabel *jobStatus() const { return m_jobStatus; }
    QPushButton *failButton() const { return m_failButton; }

    // Shows the primes job's progress (a count of primes found so far).
    void watchJob(const QFuture<void> &job);

    // The window actor's interrupt: closes the window, first telling the user why if the
    // run ended with a failure or an exception (the window closes when the message box
    // does).
    void shutDown(const RunError &reason);

public Q_SLOTS:
    void setWorkerProgress(int percent);
    // Shows in the status bar that the worker failed with error and restarts (its
    // attempt-th restart) in delayMs.
    void showWorkerRestarting(const RunError &error, int attempt, qint64 delayMs);
    // Shows in the status bar that the worker runs again after attempt restarts.
    void showWorkerRestarted(int attempt);

Q_SIGNALS:
    // The window actor's exit signal.
    void closed();
    // The "Make the worker fail" button.
    void failRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QProgressBar *m_workerProgress;
    QLabel *m_jobStatus;
    QPushButton *m_failButton;
    QFutureWatcher<void> m_jobWatcher;
    bool m_closing = false;
};

// The worker actor: a progress bar's worth of steps, over and over, on its own thread.
class ProgressWorker
{
public:
    // execute, on the worker's thread: reports progress to window (queued) until
    // interrupted; fails once after each requestFailure().
    RunError run(Dashboard *window);
    // interrupt, on the group's thread.
    void interrupt();
    void requestFailure() { m_fail = true; }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false; // guarded by m_mutex
    std::atomic<bool> m_fail{false};
};

// Starts the primes job: counts primes until canceled, reporting the count as progress.
QFuture<void> startPrimesJob();

// Adds the window, the worker and the job to group, in that order; the worker restarts on
// error, reported in the window's status bar.
void addActors(RunGroup &group, Dashboard &window, ProgressWorker &worker,
               const QFuture<void> &job);

#endif // RUNGROUP_EXAMPLES_WIDGETS_DASHBOARD_H
