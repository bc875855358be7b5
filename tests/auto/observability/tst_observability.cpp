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

#include <mutex>

#include "messagecapture.h"
#include "testsync.h"

constexpr int kTimeout = 60000;

namespace {

QJsonArray readTrace(const QString &fileName)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(u"traceEvents").toArray();
}

} // namespace

class tst_Observability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void logsEachActor();
    void silentByDefault();
    void traceFile();
};

void tst_Observability::cleanup()
{
    QLoggingCategory::setFilterRules(QString());
    RunGroup::setTraceFile(QString());
}

void tst_Observability::logsEachActor()
{
    QLoggingCategory::setFilterRules(QStringLiteral("rungroup.debug=true"));
    MessageCapture capture("rungroup");
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

void tst_Observability::silentByDefault()
{
    // Debug output of the category is off unless enabled; nothing is attached to the group.
    MessageCapture capture("rungroup");
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
    QMap<QString, QList<int>> spans; // name -> tids
    QMap<int, QString> exitErrors;
    QString runError;
    for (const QJsonValue &value : events) {
        const QJsonObject e = value.toObject();
        if (e.value(u"pid").toInt() != pid)
            continue;
        const QString name = e.value(u"name").toString();
        const QString phase = e.value(u"ph").toString();
        const int tid = e.value(u"tid").toInt();
        if (phase == QLatin1String("M") && name == QLatin1String("thread_name"))
            lanes.insert(tid, e.value(u"args").toObject().value(u"name").toString());
        if (phase == QLatin1String("X")) {
            QVERIFY(e.value(u"ts").toDouble() >= 0);
            QVERIFY(e.value(u"dur").toDouble() >= 0);
            spans[name].append(tid);
            if (name == QLatin1String("run"))
                runError = e.value(u"args").toObject().value(u"error").toString();
        }
        if (phase == QLatin1String("i") && name == QLatin1String("exited"))
            exitErrors.insert(tid, e.value(u"args").toObject().value(u"error").toString());
    }
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
