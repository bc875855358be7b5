// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Runs Main.qml of the consumer's QML module: a QML RunGroup from the installed module
// with a C++ ThreadActor subclass of the consumer's own (worker.h). argv[1], if given, is
// the installed QML import directory; a static RunGroup needs none: its plugin is linked
// in and imported here, and holds the module's qmldir in its resources.

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>
#ifdef CONSUMER_STATIC_RUNGROUP
#include <QtQml/QQmlExtensionPlugin>
Q_IMPORT_QML_PLUGIN(RunGroupQmlPlugin)
#endif

#include <cstdio>
#include <memory>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QQmlEngine engine;
    if (argc > 1)
        engine.addImportPath(QString::fromLocal8Bit(argv[1]));
    QObject::connect(&engine, &QQmlEngine::exit, &app, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    // A hang is a failure, not a CTest timeout.
    QTimer::singleShot(120000, &app, [] {
        std::fprintf(stderr, "qml consumer: no finished() within 120 s\n");
        QCoreApplication::exit(3);
    });
    QQmlComponent component(&engine, QUrl(QStringLiteral("qrc:/Consumer/Main.qml")));
    std::unique_ptr<QObject> group(component.create());
    if (!group) {
        std::fprintf(stderr, "%s\n", qPrintable(component.errorString()));
        return 1;
    }
    return app.exec();
}
