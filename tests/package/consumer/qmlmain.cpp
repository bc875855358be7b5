// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Declares a C++ ThreadActor subclass, from an installed RunGroup::Qml, inside a QML
// RunGroup imported from the installed prefix (argv[1] is its QML import directory).

#include <RunGroupQml/ThreadActor>

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#include <cstdio>
#include <memory>

class Worker : public ThreadActor
{
    Q_OBJECT

protected:
    RunError execute() override { return RunError::failure(QStringLiteral("worker: done")); }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 2)
        return 2;
    // A consumer would use QML_ELEMENT in its own module; this test keeps it short.
    qmlRegisterType<Worker>("Consumer", 1, 0, "Worker");
    QQmlEngine engine;
    engine.addImportPath(QString::fromLocal8Bit(argv[1]));
    QObject::connect(&engine, &QQmlEngine::exit, &app, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    // A hang is a failure, not a CTest timeout.
    QTimer::singleShot(120000, &app, [] {
        std::fprintf(stderr, "qml consumer: no finished() within 120 s\n");
        QCoreApplication::exit(3);
    });
    QQmlComponent component(&engine);
    component.setData("import QtQml\n"
                      "import RunGroup\n"
                      "import Consumer\n"
                      "RunGroup {\n"
                      "    running: true\n"
                      "    Worker { }\n"
                      "    Actor { onInterrupted: exit() }\n"
                      "    onFinished: (error) => {\n"
                      "        console.info('qml consumer: ' + error.toString())\n"
                      "        Qt.exit(error.kind === RunError.Failure ? 0 : 1)\n"
                      "    }\n"
                      "}\n",
                      QUrl(QStringLiteral("consumer.qml")));
    std::unique_ptr<QObject> group(component.create());
    if (!group) {
        std::fprintf(stderr, "%s\n", qPrintable(component.errorString()));
        return 1;
    }
    return app.exec();
}

#include "qmlmain.moc"
