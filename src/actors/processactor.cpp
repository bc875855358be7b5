// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// addProcess(): an actor that is a child process.
#include "processactor_p.h"

#include "logging_p.h"
#include "processtermination_p.h"

#include <QtCore/QFileInfo>

#include <climits>
#include <cstdio>

namespace {
// How much of a failed process's standard error its exit error quotes.
constexpr int kStderrTail = 1024;
} // namespace

ProcessActor::ProcessActor(QProcess *process, bool owned, int killTimeoutMs, RunGroup *group)
    : ActorAdaptor(group), m_process(process), m_owned(owned), m_killTimeoutMs(killTimeoutMs),
      m_killTimer(this)
{
    if (owned)
        process->setParent(this);
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_killed = true;
            m_process->kill();
        }
    });
    connect(process, &QProcess::readyReadStandardError, this, &ProcessActor::readStandardError);
    connect(process, &QProcess::finished, this, &ProcessActor::processFinished);
    connect(process, &QProcess::errorOccurred, this, &ProcessActor::processError);
    // A QProcess of the caller's destroyed while running: the actor exits canceled.
    connect(process, &QObject::destroyed, this, [this] {
        if (std::exchange(m_active, false))
            Q_EMIT exited(RunError::canceled(
                QStringLiteral("RunGroup: The QProcess was destroyed while running")));
    });
}

ProcessActor::~ProcessActor()
{
    // Only when the group is destroyed: a process it still owns must not outlive it.
    if (m_owned && m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(m_killTimeoutMs > 0 ? m_killTimeoutMs : 5000);
    }
}

void ProcessActor::begin()
{
    m_stderrTail.clear();
    m_terminated = false;
    m_killed = false;
    m_killTimer.stop();
    if (!m_process) {
        Q_EMIT exited(
            RunError::canceled(QStringLiteral("RunGroup: The QProcess was destroyed before the "
                                              "run started")));
        return;
    }
    if (m_process->state() != QProcess::NotRunning) {
        Q_EMIT exited(RunError::failure(
            QStringLiteral("RunGroup: Process %1 was already running").arg(describe())));
        return;
    }
    m_active = true;
    // A failure to start comes through processError(), possibly from inside start().
    m_process->start();
}

void ProcessActor::interrupt(const RunError &)
{
    if (!m_active || !m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_terminated = true;
    ProcessTermination::ask(m_process);
    m_killTimer.start(m_killTimeoutMs);
}

void ProcessActor::readStandardError()
{
    const QByteArray chunk = m_process->readAllStandardError();
    if (chunk.isEmpty())
        return;
    if (m_owned) {
        // Ours to read, so forwarded: nothing the process writes is lost.
        std::fwrite(chunk.constData(), 1, size_t(chunk.size()), stderr);
        std::fflush(stderr);
    }
    m_stderrTail += chunk;
    if (m_stderrTail.size() > kStderrTail)
        m_stderrTail = m_stderrTail.right(kStderrTail);
}

QString ProcessActor::describe() const
{
    return m_process ? m_process->program() : QString();
}

void ProcessActor::processFinished(int exitCode, QProcess::ExitStatus status)
{
    if (!std::exchange(m_active, false))
        return;
    m_killTimer.stop();
    readStandardError();
    QString tail = QString::fromLocal8Bit(m_stderrTail).trimmed();
    if (!tail.isEmpty())
        tail = QStringLiteral("; stderr: ") + tail;
    RunError error;
    if (m_killed) {
        error = RunError::timeout(QStringLiteral("RunGroup: Process %1 did not exit within %2 ms "
                                                 "of being terminated and was killed")
                                      .arg(describe())
                                      .arg(m_killTimeoutMs));
    } else if (status == QProcess::CrashExit) {
        // Ended by our own interrupt (POSIX: its SIGTERM): it did as asked.
        if (!(m_terminated && ProcessTermination::isAskedEnd(exitCode)))
            error = RunError::failure(
                QStringLiteral("RunGroup: Process %1 crashed %2%3")
                    .arg(describe(), ProcessTermination::describeCrash(exitCode), tail));
    } else if (exitCode != 0) {
        error = RunError::failure(QStringLiteral("RunGroup: Process %1 exited with code %2%3")
                                      .arg(describe())
                                      .arg(exitCode)
                                      .arg(tail));
    }
    Q_EMIT exited(error);
}

void ProcessActor::processError(QProcess::ProcessError processError)
{
    // Other errors (a crash, a failed write) are followed by finished() or need nothing.
    if (processError != QProcess::FailedToStart || !std::exchange(m_active, false))
        return;
    Q_EMIT exited(RunError::failure(QStringLiteral("RunGroup: Cannot start process %1: %2")
                                        .arg(describe(), m_process->errorString())));
}

int RunGroup::addProcess(const QString &program, const QStringList &arguments, const QString &name,
                         int killTimeoutMs)
{
    if (!ActorAdaptor::canAdd(this, "addProcess"))
        return -1;
    if (program.isEmpty()) {
        qCWarning(lcActors, "RunGroup::addProcess: The program is empty");
        return -1;
    }
    if (killTimeoutMs < 0) {
        qCWarning(lcActors, "RunGroup::addProcess: The kill timeout must not be negative");
        return -1;
    }
    auto *process = new QProcess;
    process->setProgram(program);
    process->setArguments(arguments);
    // Standard output is forwarded, as if we had run it from a shell; standard error is
    // read for the exit error's tail and forwarded to ours as it comes.
    process->setProcessChannelMode(QProcess::ForwardedOutputChannel);
    return (new ProcessActor(process, true, killTimeoutMs, this))
        ->addTo(this, name.isEmpty() ? QFileInfo(program).fileName() : name);
}

int RunGroup::addProcess(QProcess *process, const QString &name, int killTimeoutMs)
{
    if (!ActorAdaptor::canAdd(this, "addProcess"))
        return -1;
    if (!process) {
        qCWarning(lcActors, "RunGroup::addProcess: The process is null");
        return -1;
    }
    if (process->thread() != thread()) {
        qCWarning(lcActors, "RunGroup::addProcess: The process must live on the group's thread");
        return -1;
    }
    if (process->state() != QProcess::NotRunning) {
        qCWarning(lcActors, "RunGroup::addProcess: The process is already running");
        return -1;
    }
    if (killTimeoutMs < 0) {
        qCWarning(lcActors, "RunGroup::addProcess: The kill timeout must not be negative");
        return -1;
    }
    return (new ProcessActor(process, false, killTimeoutMs, this))
        ->addTo(this, name.isEmpty() ? QFileInfo(process->program()).fileName() : name);
}
