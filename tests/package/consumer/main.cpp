// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Runs a group of one actor from an installed RunGroup and checks what it returns, and
// that the installed ServiceNotifier header and the exit code API link.

#include <RunGroup/RunGroup>
#include <RunGroup/ServiceNotifier>

#include <QtCore/QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);

    RunGroup group;
    bool interrupted = false;
    group.add([] { return RunError::failure(QStringLiteral("consumer: done")); },
              [&interrupted](const RunError &) { interrupted = true; });
    new ServiceNotifier(&group); // the installed header and symbols; inert without systemd
    const RunError error = group.run();

    std::printf("RunGroup %s: %s\n", RUNGROUP_CONSUMER_VERSION, qPrintable(error.toString()));
    const bool ok = error == RunError::failure(QStringLiteral("consumer: done")) && interrupted
                    && QMetaType::fromName("RunError").isValid() && group.exitCode() == 1;
    return ok ? 0 : 1;
}
