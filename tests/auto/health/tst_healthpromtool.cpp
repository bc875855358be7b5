// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// promtool check metrics (Prometheus' own linter) on the headless example's /metrics, ready
// and mid-shutdown. promtool 2.42 reads the text format 0.0.4 only (given OpenMetrics, it
// looks for # HELP under the sample's name, rungroup_runs_total, where OpenMetrics names the
// family rungroup_runs); the OpenMetrics exposition is checked by a real Prometheus, which
// asks for it, in healthprometheus. A deliberately broken exposition first shows that
// promtool does reject what it should.

#include <QtCore/QProcess>
#include <QtTest/QTest>

#include <csignal>
#include <sys/types.h>

#include "headlessprocess.h"

namespace {
struct Check
{
    int exitCode = -1;
    QByteArray output;
};

// Feeds exposition to promtool check metrics on its standard input.
Check promtoolCheck(const QByteArray &exposition)
{
    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.start(QStringLiteral(RUNGROUP_PROMTOOL),
                   {QStringLiteral("check"), QStringLiteral("metrics")});
    if (!promtool.waitForStarted(kHealthTimeout))
        return {-1, "promtool did not start"};
    promtool.write(exposition);
    promtool.closeWriteChannel();
    if (!promtool.waitForFinished(kHealthTimeout))
        return {-1, "promtool did not finish"};
    return {promtool.exitStatus() == QProcess::NormalExit ? promtool.exitCode() : -1,
            promtool.readAll()};
}
} // namespace

class tst_HealthPromtool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void promtoolRejectsBadMetrics();
    void shippedScrapeConfig();
    void exposition_data();
    void exposition();

private:
    QNetworkAccessManager m_manager;
};

void tst_HealthPromtool::initTestCase()
{
    if (QByteArray(RUNGROUP_PROMTOOL).isEmpty())
        QSKIP("promtool not found (Debian: prometheus; scripts/deps.sh installs it)");
    useNoProxy(m_manager);
}

// The check can fail: a counter without _total, a gauge named _total, no # HELP.
void tst_HealthPromtool::promtoolRejectsBadMetrics()
{
    const Check good = promtoolCheck("# HELP x_total Things.\n# TYPE x_total counter\n"
                                     "x_total 1\n");
    QVERIFY2(good.exitCode == 0 && good.output.isEmpty(), good.output);
    const Check bad = promtoolCheck("# TYPE rungroup_runs counter\nrungroup_runs 1\n");
    QVERIFY2(bad.exitCode != 0, bad.output);
    QVERIFY2(!bad.output.isEmpty(), bad.output);
}

// examples/headless/prometheus.yml is a valid configuration for the Prometheus we test with.
void tst_HealthPromtool::shippedScrapeConfig()
{
    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.start(QStringLiteral(RUNGROUP_PROMTOOL),
                   {QStringLiteral("check"), QStringLiteral("config"),
                    QStringLiteral(RUNGROUP_SOURCE_DIR "/examples/headless/prometheus.yml")});
    QVERIFY(promtool.waitForFinished(kHealthTimeout));
    QVERIFY2(promtool.exitCode() == 0, promtool.readAll());
}

void tst_HealthPromtool::exposition_data()
{
    QTest::addColumn<QByteArray>("accept");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("sigterm");
    const QStringList stuck = {QStringLiteral("--stuck"), QStringLiteral("--shutdown-timeout"),
                               QStringLiteral("60000")};
    QTest::addRow("no Accept, ready") << QByteArray() << QStringList() << false;
    QTest::addRow("text/plain, shutting down") << QByteArray("text/plain") << stuck << true;
}

void tst_HealthPromtool::exposition()
{
    QFETCH(QByteArray, accept);
    QFETCH(QStringList, arguments);
    QFETCH(bool, sigterm);

    HeadlessService service(QStringList{QStringLiteral("--health-port"), QStringLiteral("0")}
                            + arguments);
    QVERIFY2(service.waitForHealthPort(), service.output().constData());
    QTRY_COMPARE_WITH_TIMEOUT(httpRequest(m_manager, service.url(QStringLiteral("/readyz"))).status,
                              200, kHealthTimeout);
    if (sigterm) {
        // Mid-shutdown every family has samples: exits, interrupts, no longer up.
        QCOMPARE(::kill(pid_t(service.process().processId()), SIGTERM), 0);
        QTRY_VERIFY_WITH_TIMEOUT(service.hasLine(QStringLiteral("[worker] stuck: ignoring the "
                                                                "interrupt")),
                                 kHealthTimeout);
    }
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!accept.isEmpty())
        headers.append({"Accept", accept});
    const HttpReply reply =
        httpRequest(m_manager, service.url(QStringLiteral("/metrics")), "GET", headers);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    if (sigterm)
        QVERIFY2(reply.body.contains("rungroup_actor_exits_total{actor=\"signals\",index=\"0\","
                                     "kind=\"signal\"} 1\n"),
                 reply.body);
    const Check check = promtoolCheck(reply.body);
    QVERIFY2(check.exitCode == 0, check.output + '\n' + reply.body);
    QVERIFY2(check.output.isEmpty(), check.output + '\n' + reply.body);
}

QTEST_GUILESS_MAIN(tst_HealthPromtool)
#include "tst_healthpromtool.moc"
