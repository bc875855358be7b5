// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "processtermination_p.h"

void ProcessTermination::ask(QProcess *process)
{
    // WM_CLOSE to the child's top-level windows: a GUI program closes as if its window's
    // close button had been pressed. A console program has no window and does not notice:
    // it ends at the kill() after the grace period, which the actor reports as
    // Kind::Timeout (pass a kill timeout of 0 to kill it at once).
    process->terminate();
}

bool ProcessTermination::isAskedEnd(int)
{
    // WM_CLOSE ends a program normally (NormalExit); a CrashExit is a crash, or kill().
    return false;
}

QString ProcessTermination::describeCrash(int exitCode)
{
    // The exception code Windows ended it with (0xc0000005: an access violation).
    return QStringLiteral("(exception 0x%1)").arg(uint(exitCode), 8, 16, QLatin1Char('0'));
}
