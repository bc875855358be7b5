// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_TESTS_CHILDPROCESS_H
#define RUNGROUP_TESTS_CHILDPROCESS_H

#include <QtCore/QByteArray>
#include <QtCore/QProcess>
#include <QtCore/QStringList>

// One run of a helper program, its output collected as it arrives so a test can wait for
// a line while the program runs (KDSingleApplication style). Killed on destruction if a
// failed check left it running.
class ChildProcess
{
public:
    ChildProcess(const QString &program, const QStringList &arguments, int timeoutMs,
                 const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
        : m_timeoutMs(timeoutMs)
    {
        m_process.setProcessEnvironment(environment);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { m_stdout += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_stderr += m_process.readAllStandardError(); });
        m_process.start(program, arguments);
    }
    ~ChildProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(m_timeoutMs);
        }
    }
    Q_DISABLE_COPY_MOVE(ChildProcess)

    QProcess &process() { return m_process; }
    QStringList stdoutLines() const
    {
        return QString::fromUtf8(m_stdout).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    QString stderrText() const { return QString::fromUtf8(m_stderr); }

    // Waits for the program to end; false if it did not within the timeout.
    bool waitForFinished()
    {
        if (!m_process.waitForFinished(m_timeoutMs))
            return false;
        m_stdout += m_process.readAllStandardOutput();
        m_stderr += m_process.readAllStandardError();
        return true;
    }

    // What a failed comparison prints, to see why.
    QByteArray output() const { return "stdout:\n" + m_stdout + "\nstderr:\n" + m_stderr; }

private:
    const int m_timeoutMs;
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
};

#endif // RUNGROUP_TESTS_CHILDPROCESS_H
