// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// RunGroup::bindToApplication(), exitCode() and the exit code mapping, with the test's
// own QCoreApplication::exec() as the application's event loop.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <csignal>
#include <memory>
#include <stdexcept>
#include <thread>

// Lets QCOMPARE print RunError values.
char *toString(const RunError &error)
{
    return QTest::toString(error.toString());
}

namespace {

// Generous: sanitizer builds on a loaded two-core machine are slow. Never a duration check.
constexpr int oneMinute = 60 * 1000;

// What main() saw when it bound a group before any QCoreApplication existed.
bool g_boundWithoutApplication = true;
QStringList g_warningsWithoutApplication;

void collectWarning(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_warningsWithoutApplication.append(message);
}

// Runs the application's event loop as main() would, ended after a minute if nothing
// ends it first (the returned -1 then fails the comparison instead of hanging).
int execApplication()
{
    QTimer watchdog;
    watchdog.setSingleShot(true);
    QObject::connect(&watchdog, &QTimer::timeout, [] { QCoreApplication::exit(-1); });
    watchdog.start(oneMinute);
    return QCoreApplication::exec();
}

// A threaded actor that ignores its interrupt until released: a stuck actor.
struct Stuck
{
    std::shared_ptr<std::atomic<bool>> released = std::make_shared<std::atomic<bool>>(false);

    int addTo(RunGroup &group)
    {
        return group.add(
            [released = released] {
                while (!*released)
                    QThread::msleep(5);
            },
            {}, nullptr, QStringLiteral("stuck"));
    }
    ~Stuck() { *released = true; }
};

} // namespace

class tst_Application : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bindWithoutApplication();
    void defaultExitCode_data();
    void defaultExitCode();
    void finishedQuitsApplication_data();
    void finishedQuitsApplication();
    void shutdownTimeoutExitCode();
    void customMapper();
    void exitCodeWhileRunning();
    void aboutToQuitStopsAndWaits();
    void aboutToQuitHonoursShutdownTimeout();
    void aboutToQuitWhenFinished();
    void bindTwice();
    void bindSecondGroup();
    void bindFromAnotherThread();
    void bindGroupOnAnotherThread();
};

void tst_Application::bindWithoutApplication()
{
    // Done by main() before QCoreApplication existed.
    QVERIFY(!g_boundWithoutApplication);
    QCOMPARE(
        g_warningsWithoutApplication,
        QStringList{QStringLiteral("RunGroup::bindToApplication: No QCoreApplication exists")});
}

void tst_Application::defaultExitCode_data()
{
    QTest::addColumn<RunError>("error");
    QTest::addColumn<int>("exitCode");
    QTest::addRow("no error") << RunError() << 0;
    QTest::addRow("SIGTERM") << RunError::fromSignal(SIGTERM) << 0;
    QTest::addRow("SIGINT") << RunError::fromSignal(SIGINT) << 0;
#ifdef Q_OS_WIN
    QTest::addRow("SIGBREAK") << RunError::fromSignal(SIGBREAK) << 0; // Ctrl+Break
    QTest::addRow("SIGABRT") << RunError::fromSignal(SIGABRT) << 128 + SIGABRT;
#else
    QTest::addRow("SIGHUP") << RunError::fromSignal(SIGHUP) << 0;
    QTest::addRow("SIGUSR1") << RunError::fromSignal(SIGUSR1) << 128 + SIGUSR1;
#endif
    QTest::addRow("canceled") << RunError::canceled() << 0;
    QTest::addRow("failure") << RunError::failure(QStringLiteral("x")) << 1;
    QTest::addRow("exception") << RunError::fromException(
        std::make_exception_ptr(std::runtime_error("boom")))
                               << 1;
    QTest::addRow("timeout") << RunError::timeout() << 124;
    // sysexits.h: EX_CONFIG 78, EX_UNAVAILABLE 69, EX_TEMPFAIL 75.
    QTest::addRow("failure, EX_CONFIG") << RunError::failure(QStringLiteral("x"), 78) << 78;
    QTest::addRow("exception, EX_SOFTWARE")
        << RunError::fromException(std::make_exception_ptr(std::runtime_error("boom")))
               .withExitCode(70)
        << 70;
    QTest::addRow("SIGTERM, EX_TEMPFAIL") << RunError::fromSignal(SIGTERM).withExitCode(75) << 75;
    QTest::addRow("no error, 3") << RunError().withExitCode(3) << 3;
    QTest::addRow("failure, 0") << RunError::failure(QStringLiteral("x"), 0) << 0;
}

void tst_Application::defaultExitCode()
{
    QFETCH(RunError, error);
    QFETCH(int, exitCode);
    QCOMPARE(RunGroup::defaultExitCode(error), exitCode);
}

void tst_Application::finishedQuitsApplication_data()
{
    QTest::addColumn<RunError>("exitError");
    QTest::addColumn<int>("exitCode");
    QTest::addRow("no error") << RunError() << 0;
    QTest::addRow("SIGTERM") << RunError::fromSignal(SIGTERM) << 0;
    QTest::addRow("SIGINT") << RunError::fromSignal(SIGINT) << 0;
    QTest::addRow("failure") << RunError::failure(QStringLiteral("disk full")) << 1;
    QTest::addRow("EX_UNAVAILABLE") << RunError::failure(QStringLiteral("no backend"), 69) << 69;
}

void tst_Application::finishedQuitsApplication()
{
    QFETCH(RunError, exitError);
    QFETCH(int, exitCode);

    RunGroup group;
    // A worker that ends the run with exitError, and one that stops when interrupted.
    group.add([exitError] { return exitError; });
    group.add([] {
        while (!QThread::currentThread()->isInterruptionRequested())
            QThread::msleep(5);
    });
    QVERIFY(group.bindToApplication());
    QVERIFY(group.isBoundToApplication());
    group.start();
    QCOMPARE(execApplication(), exitCode);
    QCOMPARE(group.state(), RunGroup::State::Finished);
    QCOMPARE(group.error(), exitError);
    QCOMPARE(group.exitCode(), exitCode);
}

void tst_Application::shutdownTimeoutExitCode()
{
    // SIGTERM asks for an orderly stop (0), but an actor ignores it: 124.
    RunGroup group;
    Stuck stuck;
    stuck.addTo(group);
    group.setShutdownTimeout(200);
    QVERIFY(group.bindToApplication());
    group.start();
    group.stop(RunError::fromSignal(SIGTERM));
    QCOMPARE(execApplication(), 124);
    QCOMPARE(group.error(), RunError::fromSignal(SIGTERM));
    QCOMPARE(group.errors().at(0).kind(), RunError::Kind::Timeout);
    QCOMPARE(group.exitCode(), 124);
}

void tst_Application::customMapper()
{
    RunGroup group;
    group.add([] { return RunError::failure(QStringLiteral("x")); });
    QVERIFY(group.bindToApplication());
    RunError seen;
    group.setExitCodeMapper([&seen](const RunError &error) {
        seen = error;
        return error.kind() == RunError::Kind::Failure ? 42 : 0;
    });
    group.start();
    QCOMPARE(execApplication(), 42);
    QCOMPARE(seen, RunError::failure(QStringLiteral("x")));
    QCOMPARE(group.exitCode(), 42);
    group.setExitCodeMapper({}); // back to the default
    QCOMPARE(group.exitCode(), 1);
}

void tst_Application::exitCodeWhileRunning()
{
    RunGroup group;
    QCOMPARE(group.exitCode(), 0); // idle
    group.add([] { return RunError::failure(QStringLiteral("x")); });
    group.start();
    QCOMPARE(group.exitCode(), 0); // running
    QSignalSpy finishedSpy(&group, &RunGroup::finished);
    QVERIFY(finishedSpy.wait(oneMinute));
    QCOMPARE(group.exitCode(), 1);
}

void tst_Application::aboutToQuitStopsAndWaits()
{
    // quit() while the group runs: the group is stopped and waited for before exec()
    // returns, so no actor thread is left running when the application goes away.
    RunGroup group;
    std::atomic<bool> returned{false};
    group.add(
        [&returned] {
            while (!QThread::currentThread()->isInterruptionRequested())
                QThread::msleep(5);
            QThread::msleep(200); // a slow, orderly stop
            returned = true;
        },
        {}, nullptr, QStringLiteral("worker"));
    QVERIFY(group.bindToApplication());
    QSignalSpy finishedSpy(&group, &RunGroup::finished);
    group.start();
    QTimer::singleShot(0, qApp, &QCoreApplication::quit);
    QCOMPARE(execApplication(), 0); // quit()'s code
    QVERIFY(returned);
    QCOMPARE(group.state(), RunGroup::State::Finished);
    QCOMPARE(finishedSpy.count(), 1);
    QCOMPARE(group.error(), RunError::canceled(QStringLiteral("RunGroup: The application is "
                                                              "quitting")));
    QCOMPARE(group.exitCode(), 0);
}

void tst_Application::aboutToQuitHonoursShutdownTimeout()
{
    RunGroup group;
    Stuck stuck;
    stuck.addTo(group);
    group.setShutdownTimeout(300);
    QVERIFY(group.bindToApplication());
    group.start();
    QTimer::singleShot(0, qApp, [] { QCoreApplication::exit(5); });
    QCOMPARE(execApplication(), 5); // exit()'s code: exec() already decided it
    QCOMPARE(group.state(), RunGroup::State::Finished);
    QCOMPARE(group.errors().at(0).kind(), RunError::Kind::Timeout);
    QCOMPARE(group.exitCode(), 124);
}

void tst_Application::aboutToQuitWhenFinished()
{
    // A group already finished (or never started) is left alone.
    RunGroup group;
    group.add([] {});
    QVERIFY(group.bindToApplication());
    QTimer::singleShot(0, qApp, &QCoreApplication::quit);
    QCOMPARE(execApplication(), 0);
    QCOMPARE(group.state(), RunGroup::State::Idle);
}

void tst_Application::bindTwice()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    RunGroup group;
    group.add([] { return RunError::failure(QStringLiteral("x")); });
    QVERIFY(!group.isBoundToApplication());
    QVERIFY(group.bindToApplication());
    QVERIFY(group.bindToApplication()); // the same group: fine, nothing doubles
    QVERIFY(group.isBoundToApplication());
    group.start();
    QCOMPARE(execApplication(), 1);
    // One queued exit, not two: the next exec() runs until something else ends it.
    QTimer::singleShot(0, qApp, [] { QCoreApplication::exit(7); });
    QCOMPARE(execApplication(), 7);
}

void tst_Application::bindSecondGroup()
{
    auto first = std::make_unique<RunGroup>();
    QVERIFY(first->bindToApplication());
    RunGroup second;
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::bindToApplication: Another group is already "
                                       "bound to the application");
    QVERIFY(!second.bindToApplication());
    QVERIFY(!second.isBoundToApplication());
    QVERIFY(first->isBoundToApplication());
    // The binding ends with the group.
    first.reset();
    QVERIFY(second.bindToApplication());
    QVERIFY(second.isBoundToApplication());
}

void tst_Application::bindFromAnotherThread()
{
    // std::thread: its join() is visible to ThreadSanitizer, Qt's waits are not.
    RunGroup group;
    bool bound = true;
    QTest::ignoreMessage(QtWarningMsg,
                         "RunGroup::bindToApplication: Must be called from the group's thread");
    std::thread([&group, &bound] { bound = group.bindToApplication(); }).join();
    QVERIFY(!bound);
    QVERIFY(!group.isBoundToApplication());
}

void tst_Application::bindGroupOnAnotherThread()
{
    // A group created on, and so living on, a thread that is not the application's.
    bool bound = true;
    QTest::ignoreMessage(QtWarningMsg, "RunGroup::bindToApplication: The group must live on the "
                                       "application's thread");
    std::thread([&bound] {
        RunGroup group;
        bound = group.bindToApplication();
    }).join();
    QVERIFY(!bound);
}

int main(int argc, char *argv[])
{
    {
        // Bad input that needs no application: binding before one exists.
        const QtMessageHandler previous = qInstallMessageHandler(collectWarning);
        RunGroup group;
        g_boundWithoutApplication = group.bindToApplication();
        qInstallMessageHandler(previous);
    }
    QCoreApplication app(argc, argv);
    tst_Application test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_application.moc"
