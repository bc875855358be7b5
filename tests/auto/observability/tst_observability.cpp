// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// What a run tells about itself: the "rungroup" logging category (start, exit, interrupt,
// timeout of each actor, with name and elapsed time) and the Chrome trace-event file.

#include <RunGroup/RunGroup>

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "messagecapture.h"
#include "testsync.h"
#include "tracefile.h"

constexpr int kTimeout = 60000;

class tst_Observability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void logsEachActor_data();
    void logsEachActor();
    void unnamedGroupLogsSanely();
    void logShowsStagesAndRestarts();
    void silentByDefault();
    void warningsHaveCategories_data();
    void warningsHaveCategories();
    void traceFile();
};

void tst_Observability::cleanup()
{
    QLoggingCategory::setFilterRules(QString());
    RunGroup::setTraceFile(QString());
}

void tst_Observability::logsEachActor_data()
{
    QTest::addColumn<QString>("rules");
    QTest::addColumn<QByteArray>("category");
    QTest::newRow("rungroup.run") << QStringLiteral("rungroup.run.debug=true")
                                  << QByteArray("rungroup.run");
    // 1.0's name for it, still honoured.
    QTest::newRow("rungroup (1.0)")
        << QStringLiteral("rungroup.debug=true") << QByteArray("rungroup");
}

void tst_Observability::logsEachActor()
{
    QFETCH(QString, rules);
    QFETCH(QByteArray, category);
    QLoggingCategory::setFilterRules(rules);
    MessageCapture capture(category.constData());
    auto stuckGate = std::make_shared<Gate>();
    auto waitGate = std::make_shared<Gate>();
    {
        RunGroup group;
        group.setObjectName(QStringLiteral("svc"));
        group.setShutdownTimeout(50);
        group.add([] { return RunError::failure(QStringLiteral("boom")); }, {}, nullptr,
                  QStringLiteral("fails"));
        group.add([waitGate] { waitGate->wait(); }, [waitGate] { waitGate->open(); }, nullptr,
                  QStringLiteral("waits"));
        group.add([stuckGate] { stuckGate->wait(); }, {}, nullptr, QStringLiteral("stuck"));
        QSignalSpy finished(&group, &RunGroup::finished);
        group.start();
        QVERIFY(finished.wait(kTimeout));
    }
    stuckGate->open();

    const QString ms = QStringLiteral("\\d+ ms");
    const QStringList expected = {
        QStringLiteral("svc: run started with 3 actors"),
        QStringLiteral("actor 0 \"fails\" started"),
        QStringLiteral("actor 2 \"stuck\" started"),
        QStringLiteral("actor 1 \"waits\" interrupted after ") + ms,
        QStringLiteral("actor 0 \"fails\" exited after ") + ms + QStringLiteral(": Failure: boom"),
        QStringLiteral("actor 1 \"waits\" exited after ") + ms + QStringLiteral(": no error"),
        QStringLiteral("actor 2 \"stuck\" timed out after ") + ms
            + QStringLiteral(": Timeout: RunGroup: Actor 2 did not exit within 50 ms"),
        QStringLiteral("svc: run finished after ") + ms + QStringLiteral(": Failure: boom"),
    };
    for (const QString &pattern : expected) {
        QVERIFY2(
            !capture.find(pattern).isEmpty(),
            qPrintable(pattern + QStringLiteral("\nnot in:\n") + capture.messages().join(u'\n')));
    }
}

void tst_Observability::unnamedGroupLogsSanely()
{
    // Found by an outside probe: a group without a name logged "rungroup: : run started".
    QLoggingCategory::setFilterRules(QStringLiteral("rungroup.run.debug=true"));
    MessageCapture capture("rungroup.run");
    RunGroup group;
    group.add([] {});
    QCOMPARE(group.run(), RunError());
    QVERIFY2(!capture.find(QStringLiteral("RunGroup \\d+: run started with 1 actors")).isEmpty(),
             qPrintable(capture.messages().join(u'\n')));
    QVERIFY2(capture.find(QStringLiteral(": .*")).isEmpty(),
             qPrintable(capture.messages().join(u'\n')));
    QVERIFY(!capture.find(QStringLiteral("actor 0 started")).isEmpty());
}

// With dependencies, an actor is logged as started when it starts (not at start()), and
// each interrupt when it is sent: the staged stop shows its stages. A restart is logged.
void tst_Observability::logShowsStagesAndRestarts()
{
    QLoggingCategory::setFilterRules(QStringLiteral("rungroup.run.debug=true"));
    MessageCapture capture("rungroup.run");
    auto storageGate = std::make_shared<Gate>();
    auto webGate = std::make_shared<Gate>();
    auto flaky = std::make_shared<std::atomic<int>>(0);
    {
        RunGroup group;
        group.setObjectName(QStringLiteral("svc"));
        group.add([storageGate] { storageGate->wait(); }, [storageGate] { storageGate->open(); },
                  nullptr, QStringLiteral("storage"));
        group.add([webGate] { webGate->wait(); }, [webGate] { webGate->open(); }, nullptr,
                  QStringLiteral("web"));
        group.add(
            [flaky] {
                return ++*flaky == 1 ? RunError::failure(QStringLiteral("once")) : RunError();
            },
            {}, nullptr, QStringLiteral("flaky"));
        group.requireReady(0);
        QVERIFY(group.setDependencies(1, {0}));
        group.setExitPolicy(2, RunGroup::ExitPolicy::RestartOnError);
        group.setRestartBackoff(2, std::chrono::milliseconds(0), std::chrono::milliseconds(0));
        QSignalSpy started(&group, &RunGroup::actorStarted);
        group.start();
        QTRY_VERIFY_WITH_TIMEOUT(!capture.find(QStringLiteral(".*restarting.*")).isEmpty(),
                                 kTimeout);
        QVERIFY2(capture.find(QStringLiteral("actor 1 \"web\" started")).isEmpty(),
                 qPrintable(capture.messages().join(u'\n')));
        group.markReady(0);
        QTRY_VERIFY_WITH_TIMEOUT(!capture.find(QStringLiteral("actor 1 \"web\" started")).isEmpty(),
                                 kTimeout);
        QSignalSpy finished(&group, &RunGroup::finished);
        group.stop();
        QVERIFY(finished.wait(kTimeout));
    }
    const QStringList messages = capture.messages();
    const auto indexOf = [&messages](const QString &pattern) {
        const QRegularExpression re(pattern);
        for (int i = 0; i < messages.size(); ++i) {
            if (re.match(messages.at(i)).hasMatch())
                return i;
        }
        return -1;
    };
    const int webInterrupted = indexOf(QStringLiteral("actor 1 \"web\" interrupted after"));
    const int webExited = indexOf(QStringLiteral("actor 1 \"web\" exited after"));
    const int storageInterrupted = indexOf(QStringLiteral("actor 0 \"storage\" interrupted after"));
    QVERIFY2(webInterrupted >= 0 && webExited > webInterrupted && storageInterrupted > webExited,
             qPrintable(messages.join(u'\n')));
    QVERIFY2(indexOf(QStringLiteral("actor 2 \"flaky\" restarting \\(attempt 1\\) after \\d+ ms: "
                                    "Failure: once"))
                 >= 0,
             qPrintable(messages.join(u'\n')));
}

void tst_Observability::warningsHaveCategories_data()
{
    QTest::addColumn<QByteArray>("category");
    QTest::addColumn<QString>("message");
    QTest::newRow("core") << QByteArray("rungroup.core")
                          << QStringLiteral("RunGroup::add: execute is empty");
    QTest::newRow("signals") << QByteArray(
        "rungroup.signals") << QStringLiteral("RunGroup::addSignalHandler: Cannot handle signal 0");
    QTest::newRow("threads") << QByteArray("rungroup.threads")
                             << QStringLiteral(
                                    "RunGroup::setIdleThreadLimit: The limit must not be "
                                    "negative");
    QTest::newRow("actors") << QByteArray("rungroup.actors")
                            << QStringLiteral("RunGroup::addProcess: The program is empty");
    QTest::newRow("application") << QByteArray("rungroup.application")
                                 << QStringLiteral("RunGroup::setExitCodeMapper: Must be called "
                                                   "from the group's thread");
}

void tst_Observability::warningsHaveCategories()
{
    // Every warning goes through a named category a user can silence on its own.
    QFETCH(QByteArray, category);
    QFETCH(QString, message);
    RunGroup group;
    {
        MessageCapture capture(category.constData());
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        if (tag == QLatin1String("core")) {
            QCOMPARE(group.add(std::function<void()>()), -1);
        } else if (tag == QLatin1String("signals")) {
            QCOMPARE(group.addSignalHandler({0}), -1);
        } else if (tag == QLatin1String("threads")) {
            const int limit = RunGroup::idleThreadLimit();
            RunGroup::setIdleThreadLimit(-1);
            QCOMPARE(RunGroup::idleThreadLimit(), limit);
        } else if (tag == QLatin1String("actors")) {
            QCOMPARE(group.addProcess(QString()), -1);
        } else if (tag == QLatin1String("application")) {
            std::thread other([&group] { group.setExitCodeMapper({}); });
            other.join();
        }
        QCOMPARE(capture.messages(), QStringList({message}));
    }
    // Silenced by its category's rule alone.
    QLoggingCategory::setFilterRules(QString::fromLatin1(category)
                                     + QStringLiteral(".warning=false"));
    MessageCapture silenced(category.constData());
    QCOMPARE(group.add(std::function<void()>()), -1);
    QCOMPARE(group.addSignalHandler({0}), -1);
    RunGroup::setIdleThreadLimit(-1);
    QCOMPARE(group.addProcess(QString()), -1);
    QCOMPARE(silenced.messages(), QStringList());
}

void tst_Observability::silentByDefault()
{
    // Debug output of the category is off unless enabled; nothing is attached to the group.
    MessageCapture capture("rungroup.run");
    RunGroup group;
    group.add([] {});
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(capture.messages(), QStringList());
    QCOMPARE(group.children().size(), 0);
}

void tst_Observability::traceFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(QStringLiteral("trace.json"));
    QCOMPARE(RunGroup::traceFile(), QString());
    RunGroup::setTraceFile(fileName);
    QCOMPARE(RunGroup::traceFile(), fileName);

    auto gate = std::make_shared<Gate>();
    auto ready = std::make_shared<Gate>();
    RunGroup group;
    group.setObjectName(QStringLiteral("traced"));
    group.add(
        [ready] {
            ready->wait();
            return RunError::failure(QStringLiteral("boom"));
        },
        {}, nullptr, QStringLiteral("first"));
    group.add(
        [gate, ready] {
            ready->open();
            gate->wait();
        },
        [gate] { gate->open(); }, nullptr, QStringLiteral("second"));
    QSignalSpy finished(&group, &RunGroup::finished);
    group.start();
    QVERIFY(finished.wait(kTimeout));

    const QJsonArray events = readTrace(fileName);
    QVERIFY2(!events.isEmpty(), qPrintable(fileName));
    int pid = -1;
    QMap<int, QString> lanes; // tid -> name
    for (const QJsonValue &value : events) {
        const QJsonObject e = value.toObject();
        if (e.value(u"name") == QLatin1String("process_name")
            && e.value(u"args").toObject().value(u"name") == QLatin1String("traced"))
            pid = e.value(u"pid").toInt();
    }
    QVERIFY(pid > 0);
    QMap<QString, QList<int>> spans; // name -> tids, once each phase has begun and ended
    QMap<int, QString> exitErrors;
    QString runError;
    QMap<int, QString> open; // tid -> the phase begun and not ended yet
    for (const QJsonValue &value : events) {
        const QJsonObject e = value.toObject();
        if (e.value(u"pid").toInt() != pid)
            continue;
        const QString name = e.value(u"name").toString();
        const QString phase = e.value(u"ph").toString();
        const int tid = e.value(u"tid").toInt();
        if (phase == QLatin1String("M") && name == QLatin1String("thread_name"))
            lanes.insert(tid, e.value(u"args").toObject().value(u"name").toString());
        if (phase == QLatin1String("B")) {
            QVERIFY2(!open.contains(tid), qPrintable(name));
            QVERIFY(e.value(u"ts").toDouble() >= 0);
            open.insert(tid, name);
        }
        if (phase == QLatin1String("E")) {
            QCOMPARE(open.take(tid), name);
            spans[name].append(tid);
            if (name == QLatin1String("run"))
                runError = e.value(u"args").toObject().value(u"error").toString();
        }
        if (phase == QLatin1String("i") && name == QLatin1String("exited"))
            exitErrors.insert(tid, e.value(u"args").toObject().value(u"error").toString());
    }
    QVERIFY(open.isEmpty());
    for (QList<int> &tids : spans)
        std::sort(tids.begin(), tids.end()); // lanes end their phases in any order
    QCOMPARE(lanes.value(0), QStringLiteral("run"));
    QCOMPARE(lanes.value(1), QStringLiteral("actor 0 \"first\""));
    QCOMPARE(lanes.value(2), QStringLiteral("actor 1 \"second\""));
    QCOMPARE(spans.value(QStringLiteral("run")), QList<int>({0}));
    QCOMPARE(spans.value(QStringLiteral("running")), QList<int>({1, 2}));
    // The first actor's exit began the shutdown: only the second was interrupting.
    QCOMPARE(spans.value(QStringLiteral("interrupting")), QList<int>({2}));
    QCOMPARE(exitErrors.value(1), QStringLiteral("Failure: boom"));
    QCOMPARE(exitErrors.value(2), QStringLiteral("no error"));
    QCOMPARE(runError, QStringLiteral("Failure: boom"));
}

QTEST_GUILESS_MAIN(tst_Observability)
#include "tst_observability.moc"
