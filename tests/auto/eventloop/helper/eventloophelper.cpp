// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Runs a group where no QCoreApplication exists, for tst_eventloop. Usage:
//   rungroup-eventloop-helper run-without-app
//   rungroup-eventloop-helper destroy-after-app   [--stuck] [--timeout ms]
//   rungroup-eventloop-helper blocked-shutdown    [--mapper]
//     (shutdown timeout 300 ms with shutdownTimeoutExits, an interrupt that blocks the
//     group's thread for good; --mapper maps Kind::Timeout to exit code 75)
// Prints what happened, one line each; "waiting" just before a destruction that may block.
// Its own watchdog ends it with exit code 99 after 60 s, so a hang cannot outlive the test.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#include <cstdio>
#include <cstring>
#include <thread>

#include <csignal>
#include <unistd.h>

#include "testsync.h"

namespace {
void say(const char *line)
{
    std::printf("%s\n", line);
    std::fflush(stdout);
}

void sayError(const char *what, const RunError &error)
{
    std::printf("%s %s\n", what, qPrintable(error.toString()));
    std::fflush(stdout);
}

int runWithoutApp()
{
    RunGroup group;
    group.add([] { return RunError::failure(QStringLiteral("never started")); });
    group.start();
    say(group.isRunning() ? "start: running" : "start: refused");
    const RunError error = group.run();
    sayError("run:", error);
    say(group.state() == RunGroup::State::Idle ? "state: idle" : "state: not idle");
    return 0;
}

int destroyAfterApp(int argc, char **argv)
{
    bool stuck = false;
    int timeoutMs = 0;
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--stuck") == 0)
            stuck = true;
        else if (std::strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            timeoutMs = std::atoi(argv[++i]);
    }
    // Declared before the application, as in a main() that gets the order wrong.
    auto *group = new RunGroup;
    auto *app = new QCoreApplication(argc, argv);
    Gate waiter; // opened by its actor's interrupt, on the group's thread
    group->setShutdownTimeout(timeoutMs);
    // Polls its QThread's interruption flag.
    group->add([] {
        while (!QThread::currentThread()->isInterruptionRequested())
            QThread::msleep(5);
    });
    // Woken by an interrupt queued to the group's thread.
    group->add([&waiter] { waiter.wait(); }, [&waiter] { waiter.open(); });
    if (stuck) {
        // Ignores every interrupt: only the timeout or a signal ends the wait for it.
        group->add([] {
            for (;;)
                QThread::sleep(1);
        });
    }
    group->addSignalHandler({SIGTERM});
    group->addTimeout(std::chrono::hours(1));
    QObject::connect(group, &RunGroup::actorExited, [](int index, const RunError &error) {
        std::printf("exited %d %s\n", index, qPrintable(error.toString()));
        std::fflush(stdout);
    });
    QObject::connect(group, &RunGroup::finished,
                     [](const RunError &error) { sayError("finished", error); });
    group->start();
    delete app;
    say("waiting");
    delete group;
    say("destroyed");
    return 0;
}
int blockedShutdown(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool mapper = argc >= 3 && std::strcmp(argv[2], "--mapper") == 0;
    RunGroup group;
    group.setObjectName(QStringLiteral("blocked"));
    group.setShutdownTimeout(300);
    group.setShutdownTimeoutExits(true);
    if (mapper) {
        group.setExitCodeMapper(
            [](const RunError &error) { return error.kind() == RunError::Kind::Timeout ? 75 : 1; });
    }
    // Ignores its interrupt, whose call blocks the group's thread (and its timer) for good.
    group.add(
        [] {
            for (;;)
                QThread::sleep(1);
        },
        [] {
            say("interrupt blocks");
            for (;;)
                QThread::sleep(1);
        });
    group.add([] { return RunError::failure(QStringLiteral("first")); });
    group.bindToApplication();
    group.start();
    return app.exec();
}
} // namespace

int main(int argc, char **argv)
{
    std::thread([] {
        std::this_thread::sleep_for(std::chrono::seconds(60));
        std::fprintf(stderr, "eventloophelper: watchdog: still running after 60 s\n");
        _exit(99);
    }).detach();
    if (argc >= 2 && std::strcmp(argv[1], "run-without-app") == 0)
        return runWithoutApp();
    if (argc >= 2 && std::strcmp(argv[1], "destroy-after-app") == 0)
        return destroyAfterApp(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "blocked-shutdown") == 0)
        return blockedShutdown(argc, argv);
    std::fprintf(stderr, "usage: rungroup-eventloop-helper run-without-app|destroy-after-app|"
                         "blocked-shutdown\n");
    return 2;
}
