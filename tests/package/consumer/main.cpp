// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Runs a group of one actor from an installed RunGroup and checks what it returns, and
// that the installed ServiceNotifier and HandOver headers and the exit code API link.

#include <RunGroup/HandOver>
#include <RunGroup/RunGroup>
#include <RunGroup/ServiceNotifier>

#include <QtCore/QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);

    RunGroup group;
    bool interrupted = false;
    bool handedOver = false;
    group.add(
        [&group, &handedOver] {
            // Back to the group's thread, as the examples report progress.
            HandOver::post(&group, [&handedOver] { handedOver = true; });
            return RunError::failure(QStringLiteral("consumer: done"));
        },
        [&interrupted](const RunError &) { interrupted = true; });
    new ServiceNotifier(&group); // the installed header and symbols; inert without systemd
    const RunError error = group.run();

    std::printf("RunGroup %s: %s\n", RUNGROUP_CONSUMER_VERSION, qPrintable(error.toString()));
    const bool ok = error == RunError::failure(QStringLiteral("consumer: done")) && interrupted
                    && handedOver && QMetaType::fromName("RunError").isValid()
                    && group.exitCode() == 1;
    return ok ? 0 : 1;
}
