// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_PROCESSACTOR_P_H
#define RUNGROUP_PROCESSACTOR_P_H

#include "actoradaptor_p.h"

#include <QtCore/QPointer>
#include <QtCore/QProcess>
#include <QtCore/QTimer>

// addProcess(): starts the process with the run, exits with it.
class ProcessActor : public ActorAdaptor
{
    Q_OBJECT
public:
    // Takes process over when owned (it becomes a child of this adaptor).
    ProcessActor(QProcess *process, bool owned, int killTimeoutMs, RunGroup *group);
    ~ProcessActor() override;
    void interrupt(const RunError &error) override;

protected:
    void begin() override;

private:
    void readStandardError();
    void processFinished(int exitCode, QProcess::ExitStatus status);
    void processError(QProcess::ProcessError error);
    QString describe() const;

    QPointer<QProcess> m_process;
    const bool m_owned;
    const int m_killTimeoutMs;
    QTimer m_killTimer;
    QByteArray m_stderrTail; // the last kStderrTail bytes of this run's standard error
    bool m_active = false;   // started in this run and not yet reported
    bool m_terminated = false;
    bool m_killed = false;
};

#endif // RUNGROUP_PROCESSACTOR_P_H
