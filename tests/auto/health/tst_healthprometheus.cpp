// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// A real Prometheus (Debian's prometheus package) scrapes the headless example's
// --health-port every second; the test asks Prometheus' HTTP query API (/api/v1/query)
// whether the target is up and the group's metrics arrived with the right values, while
// the service runs and while it shuts down. Skipped, saying why, only when the prometheus
// binary is absent.

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <csignal>
#include <sys/types.h>

#include "headlessprocess.h"

namespace {
// Generous: Prometheus starts, replays an empty WAL and scrapes once a second.
constexpr int kPrometheusTimeout = 3 * 60 * 1000;

quint16 freePort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost) ? server.serverPort() : 0;
}
} // namespace

class tst_HealthPrometheus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scrapedByPrometheus();

private:
    // The value of an instant query's only sample, or a description of what came instead.
    QString query(const QString &promql, QByteArray *json = nullptr);

    QNetworkAccessManager m_manager;
    quint16 m_prometheusPort = 0;
};

void tst_HealthPrometheus::initTestCase()
{
    if (QByteArray(RUNGROUP_PROMETHEUS).isEmpty())
        QSKIP("prometheus not found at configure time (Debian: prometheus; scripts/deps.sh "
              "installs it)");
    QVERIFY2(QFileInfo(QStringLiteral(RUNGROUP_PROMETHEUS)).isExecutable(), RUNGROUP_PROMETHEUS);
    useNoProxy(m_manager);
}

QString tst_HealthPrometheus::query(const QString &promql, QByteArray *json)
{
    QUrl url(QStringLiteral("http://127.0.0.1:%1/api/v1/query").arg(m_prometheusPort));
    QUrlQuery parameters;
    parameters.addQueryItem(QStringLiteral("query"), promql);
    url.setQuery(parameters);
    const HttpReply reply = httpRequest(m_manager, url);
    if (json)
        *json = reply.body;
    if (reply.status != 200)
        return QStringLiteral("HTTP ") + QString::fromUtf8(reply.describe());
    const QJsonObject answer = QJsonDocument::fromJson(reply.body).object();
    const QJsonArray result =
        answer.value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray();
    if (result.size() != 1)
        return QStringLiteral("%1 samples: ").arg(result.size()) + QString::fromUtf8(reply.body);
    return result.at(0).toObject().value(QStringLiteral("value")).toArray().at(1).toString();
}

void tst_HealthPrometheus::scrapedByPrometheus()
{
    // A worker that ignores its interrupt keeps the service up, shutting down, for a
    // minute after SIGTERM: long enough for scrapes of the shutdown.
    HeadlessService service({QStringLiteral("--health-port"), QStringLiteral("0"),
                             QStringLiteral("--stuck"), QStringLiteral("--shutdown-timeout"),
                             QStringLiteral("120000")});
    QVERIFY2(service.waitForHealthPort(), service.output().constData());

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile config(dir.filePath(QStringLiteral("prometheus.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("global:\n"
                 "  scrape_interval: 1s\n"
                 "  scrape_timeout: 1s\n"
                 "scrape_configs:\n"
                 "  - job_name: rungroup\n"
                 "    static_configs:\n"
                 "      - targets: ['127.0.0.1:"
                 + QByteArray::number(service.healthPort()) + "']\n");
    config.close();
    m_prometheusPort = freePort();
    QVERIFY(m_prometheusPort != 0);
    ChildProcess prometheus(
        QStringLiteral(RUNGROUP_PROMETHEUS),
        {QStringLiteral("--config.file=") + config.fileName(),
         QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("data")),
         QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_prometheusPort),
         QStringLiteral("--log.level=warn")},
        kHealthTimeout);
    const auto prometheusOutput = [&] { return prometheus.output() + service.output(); };

    // Up and scraped: `up` is 1 once a scrape succeeded, and the worker is ready.
    QTRY_COMPARE_WITH_TIMEOUT(query(QStringLiteral("up{job=\"rungroup\"}")), QStringLiteral("1"),
                              kPrometheusTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(query(QStringLiteral("rungroup_ready")), QStringLiteral("1"),
                              kPrometheusTimeout);
    QByteArray json;
    QCOMPARE(query(QStringLiteral("up{job=\"rungroup\"}"), &json), QStringLiteral("1"));
    qInfo("up: %s", json.constData());
    QCOMPARE(query(QStringLiteral("rungroup_actors")), QStringLiteral("3"));
    QCOMPARE(query(QStringLiteral("rungroup_runs_total")), QStringLiteral("1"));
    QCOMPARE(query(QStringLiteral("rungroup_state{state=\"running\"}")), QStringLiteral("1"));
    for (const char *actor : {"signals", "server", "worker"}) {
        QCOMPARE(query(QStringLiteral("rungroup_actor_up{actor=\"%1\"}").arg(actor)),
                 QStringLiteral("1"));
        QCOMPARE(query(QStringLiteral("rungroup_actor_ready{actor=\"%1\"}").arg(actor)),
                 QStringLiteral("1"));
    }
    const QString timeToReady = query(QStringLiteral("rungroup_time_to_ready_seconds"));
    QVERIFY2(timeToReady.toDouble() > 0, qPrintable(timeToReady));
    QCOMPARE(query(QStringLiteral("count(rungroup_actor_interrupts_total == 0)")),
             QStringLiteral("3"));
    query(QStringLiteral("{__name__=~\"rungroup_.*\",actor=\"worker\"}"), &json);
    qInfo("ready: %s", json.constData());

    // SIGTERM: the signal handler's exit, the interrupts and the stop arrive too.
    QCOMPARE(::kill(pid_t(service.process().processId()), SIGTERM), 0);
    QTRY_COMPARE_WITH_TIMEOUT(
        query(QStringLiteral("rungroup_actor_exits_total{actor=\"signals\",kind=\"signal\"}")),
        QStringLiteral("1"), kPrometheusTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        query(QStringLiteral("rungroup_actor_interrupts_total{actor=\"worker\"}")),
        QStringLiteral("1"), kPrometheusTimeout);
    QCOMPARE(query(QStringLiteral("up{job=\"rungroup\"}")), QStringLiteral("1"));
    QCOMPARE(query(QStringLiteral("rungroup_ready")), QStringLiteral("0"));
    QCOMPARE(query(QStringLiteral("rungroup_state{state=\"interrupting\"}")), QStringLiteral("1"));
    QCOMPARE(
        query(QStringLiteral("rungroup_actor_exits_total{actor=\"server\",kind=\"no_error\"}")),
        QStringLiteral("1"));
    QCOMPARE(query(QStringLiteral("rungroup_actor_up{actor=\"worker\"}")), QStringLiteral("1"));
    QCOMPARE(query(QStringLiteral("rungroup_actor_up{actor=\"server\"}")), QStringLiteral("0"));
    query(QStringLiteral("rungroup_actor_exits_total"), &json);
    qInfo("shutting down: %s", json.constData());
    QVERIFY2(prometheus.process().state() == QProcess::Running, prometheusOutput().constData());
}

QTEST_GUILESS_MAIN(tst_HealthPrometheus)
#include "tst_healthprometheus.moc"
