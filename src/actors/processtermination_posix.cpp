// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "processtermination_p.h"

#include <csignal>

void ProcessTermination::ask(QProcess *process)
{
    process->terminate(); // SIGTERM
}

bool ProcessTermination::isAskedEnd(int exitCode)
{
    // A CrashExit's code is the signal that ended the child: ours.
    return exitCode == SIGTERM;
}

QString ProcessTermination::describeCrash(int exitCode)
{
    return QStringLiteral("(signal %1)").arg(exitCode);
}
