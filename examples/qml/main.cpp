// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// rungroup-qml-example: a Qt Quick window, two worker threads (Counter, Download: C++
// ThreadActor subclasses declared in QML) and a signal handler, run as one RunGroup
// declared in Main.qml. Closing the window stops the workers; a failing worker shows its
// error, then closes the window (exit code 1); Ctrl+C or SIGTERM ends it too.
//
//   --fail-after <ms>     the counter fails after that time
//   --close-after <ms>    close the window after that time (as a user would)
//   --screenshot <file>   save a picture of the window after --screenshot-delay ms, then close it

#include <QtCore/QCommandLineParser>
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>

#include <cstdio>

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("rungroup-qml-example"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A window, two worker threads and a signal handler started and stopped as one."));
    parser.addHelpOption();
    const QCommandLineOption failAfter(QStringLiteral("fail-after"),
                                       QStringLiteral("The counter fails after <ms>."),
                                       QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption closeAfter(QStringLiteral("close-after"),
                                        QStringLiteral("Close the window after <ms>."),
                                        QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Save a picture of the window to <file>, then close it."),
        QStringLiteral("file"));
    const QCommandLineOption screenshotDelay(
        QStringLiteral("screenshot-delay"),
        QStringLiteral("Milliseconds before the screenshot (default 2500)."), QStringLiteral("ms"),
        QStringLiteral("2500"));
    parser.addOptions({failAfter, closeAfter, screenshot, screenshotDelay});
    parser.process(app);

    QQmlApplicationEngine engine;
    engine.setInitialProperties({
        {QStringLiteral("failAfter"), parser.value(failAfter).toInt()},
        {QStringLiteral("closeAfter"), parser.value(closeAfter).toInt()},
    });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    // The module's files are under :/qt/qml/ (policy QTP0001, top-level CMakeLists.txt).
    engine.loadFromModule(QStringLiteral("RunGroupExample"), QStringLiteral("Main"));
#else
    engine.load(QUrl(QStringLiteral("qrc:/RunGroupExample/Main.qml")));
#endif
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window)
        return 1;

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(parser.value(screenshotDelay).toInt(), window, [window, file] {
            if (!window->grabWindow().save(file))
                std::fprintf(stderr, "cannot save %s\n", qPrintable(file));
            window->close();
        });
    }
    return app.exec();
}
