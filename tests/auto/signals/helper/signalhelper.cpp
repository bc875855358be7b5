// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Child program of tst_signals: runs a group with addSignalHandler() and reports on stdout.
//
//   rungroup-signal-helper <previous> <signal>...
//
// <previous> is the disposition set before the group exists: "default", "ignore" or
// "handler" (a handler of the helper's own that prints "own handler"). The group listens
// to the given signals (none: addSignalHandler()'s default), next to a few threaded actors
// polling for interruption, so a signal sent from outside may land on any thread.
//
// Prints "started" once the group runs, then "finished: <error>", then for each signal
// "disposition <n>: default|ignore|handler|other" (what it is after the run), then raises
// the first signal again, so the previous disposition shows: killed by it ("default"),
// nothing ("ignore"), or "own handler" printed. Exits 0 after that, 3 on its watchdog.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>
#include <unistd.h>

namespace {

volatile sig_atomic_t g_ownHandlerRan = 0;

void ownHandler(int)
{
    g_ownHandlerRan = 1;
}

void say(const QString &line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}

const char *disposition(int signalNumber)
{
    struct sigaction current = {};
    ::sigaction(signalNumber, nullptr, &current);
    if (current.sa_flags & SA_SIGINFO)
        return "other";
    if (current.sa_handler == SIG_DFL)
        return "default";
    if (current.sa_handler == SIG_IGN)
        return "ignore";
    if (current.sa_handler == ownHandler)
        return "handler";
    return "other";
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments().mid(1);
    if (arguments.isEmpty()) {
        std::fprintf(stderr, "usage: rungroup-signal-helper default|ignore|handler [signal...]\n");
        return 2;
    }
    QList<int> signalNumbers;
    for (const QString &argument : arguments.mid(1))
        signalNumbers.append(argument.toInt());
    const QList<int> watched =
        signalNumbers.isEmpty() ? QList<int>({SIGINT, SIGTERM}) : signalNumbers;

    const QString previous = arguments.first();
    for (int n : watched) {
        struct sigaction action = {};
        sigemptyset(&action.sa_mask);
        if (previous == QLatin1String("ignore"))
            action.sa_handler = SIG_IGN;
        else if (previous == QLatin1String("handler"))
            action.sa_handler = ownHandler;
        else
            action.sa_handler = SIG_DFL;
        ::sigaction(n, &action, nullptr);
    }

    // Never hang the test: give up on our own.
    QTimer::singleShot(60 * 1000, &app, [] {
        say(QStringLiteral("watchdog"));
        std::_Exit(3);
    });

    RunGroup group;
    const int index =
        signalNumbers.isEmpty() ? group.addSignalHandler() : group.addSignalHandler(signalNumbers);
    if (index != 0)
        return 2;
    for (int i = 0; i < 4; ++i) {
        group.add([] {
            while (!QThread::currentThread()->isInterruptionRequested())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
    }
    QObject::connect(&group, &RunGroup::started, [] { say(QStringLiteral("started")); });
    QObject::connect(&group, &RunGroup::finished, &app, [&](const RunError &error) {
        say(QStringLiteral("finished: ") + error.toString());
        QTimer::singleShot(0, &app, [&] {
            for (int n : watched)
                say(QStringLiteral("disposition %1: %2").arg(n).arg(QLatin1String(disposition(n))));
            ::raise(watched.first());
            if (g_ownHandlerRan)
                say(QStringLiteral("own handler"));
            say(QStringLiteral("still alive"));
            app.exit(0);
        });
    });
    group.start();
    return app.exec();
}
