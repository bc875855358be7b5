// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Child program of tst_signals for the second-signal policy: a group with a signal handler
// and an actor whose shutdown is slow.
//
//   rungroup-second-signal-helper exits|default slow|stuck
//
// exits: setSecondSignalExits(true); default: the policy is off.
// slow:  the actor's execute ignores its interrupt for a minute (the event loop runs).
// stuck: the actor's interrupt blocks the group's thread for a minute (no event loop).
//
// Prints "started" once the group runs and "interrupted" once the shutdown has begun,
// then "finished: <error>" if the run ever ends. Exits 3 on its watchdog (a thread, so it
// fires even when the main thread is stuck).

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QThread>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace {

void say(const char *line)
{
    std::fprintf(stdout, "%s\n", line);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments().mid(1);
    if (arguments.size() != 2) {
        std::fprintf(stderr, "usage: rungroup-second-signal-helper exits|default slow|stuck\n");
        return 2;
    }
    const bool exits = arguments.at(0) == QLatin1String("exits");
    const bool stuck = arguments.at(1) == QLatin1String("stuck");

    std::thread([] {
        std::this_thread::sleep_for(std::chrono::seconds(60));
        say("watchdog");
        std::_Exit(3);
    }).detach();

    RunGroup group;
    group.setSecondSignalExits(exits);
    group.addSignalHandler();
    group.add(
        [stuck] {
            // stuck: returns when asked to; its interrupt is what blocks. slow: ignores it.
            QDeadlineTimer deadline(std::chrono::seconds(60));
            while (!deadline.hasExpired()
                   && !(stuck && QThread::currentThread()->isInterruptionRequested()))
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
        },
        [stuck] {
            say("interrupted");
            if (stuck)
                std::this_thread::sleep_for(std::chrono::seconds(60));
        });
    QObject::connect(&group, &RunGroup::started, [] { say("started"); });
    const RunError error = group.run();
    std::fprintf(stdout, "finished: %s\n", qPrintable(error.toString()));
    return 0;
}
