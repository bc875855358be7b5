// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Child program of tst_faults.
//
//   rungroup-fault-helper storm
//
// Ignores SIGTERM, then runs a group: addSignalHandler() and five threaded actors that
// take a while (100 ms) to return once interrupted, so the signals the test keeps
// sending land during the shutdown. Prints "started", then "finished: <error>",
// "exits <n>" and "disposition: ignore|other" (SIGTERM's after the run: the ignore set
// before the group must be back, so signals still arriving are harmless). Exits 0, or 3
// on its own watchdog.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace {
void say(const QString &line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (app.arguments().value(1) != QLatin1String("storm")) {
        std::fprintf(stderr, "usage: rungroup-fault-helper storm\n");
        return 2;
    }
    std::signal(SIGTERM, SIG_IGN);
    QTimer::singleShot(60 * 1000, &app, [] {
        say(QStringLiteral("watchdog"));
        std::_Exit(3);
    });

    RunGroup group;
    group.addSignalHandler();
    for (int i = 0; i < 5; ++i) {
        group.add([] {
            while (!QThread::currentThread()->isInterruptionRequested())
                QThread::msleep(1);
            QThread::msleep(100); // a slow shutdown, while the storm goes on
        });
    }
    int exits = 0;
    QObject::connect(&group, &RunGroup::actorExited, [&] { ++exits; });
    QObject::connect(&group, &RunGroup::started, [] { say(QStringLiteral("started")); });
    const RunError error = group.run();
    say(QStringLiteral("finished: ") + error.toString());
    say(QStringLiteral("exits %1").arg(exits));
    struct sigaction current = {};
    ::sigaction(SIGTERM, nullptr, &current);
    const bool ignored = !(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_IGN;
    say(QStringLiteral("disposition: ") + QLatin1String(ignored ? "ignore" : "other"));
    return ignored && exits == 6 ? 0 : 1;
}
