// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// rungroup-widgets: a main window and two background actors run as one RunGroup (see
// dashboard.h). Closing the window stops both workers before the application exits;
// "Make the worker fail" makes the worker fail once: it restarts after a backoff, the status
// bar showing the attempt; the fourth failure within 30 s shows the failure in a message
// box and closes the window.
// Exit code: 0 after a normal close, 1 after a failure.

#include "dashboard.h"

#include <QtWidgets/QApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    // The group decides when the application ends: once every actor has stopped.
    app.setQuitOnLastWindowClosed(false);

    Dashboard window;
    ProgressWorker worker;
    RunGroup group; // after what its actors use, so it is destroyed first
    addActors(group, window, worker, startPrimesJob());
    group.addSignalHandler(); // Ctrl+C in the terminal closes the window the same way
    QObject::connect(&group, &RunGroup::finished, &app, [&app](const RunError &error) {
        std::printf("finished: %s\n", qPrintable(error.toString()));
        app.exit(error && error.kind() != RunError::Kind::Signal ? 1 : 0);
    });
    group.start();
    window.show();
    return app.exec();
}
