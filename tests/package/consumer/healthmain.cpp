// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The Http component of an installed RunGroup: a HealthEndpoint on a free loopback port,
// asked /readyz over a real socket while its group runs.

#include <RunGroup/HealthEndpoint>
#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    RunGroup group;
    QTimer idle;
    group.addObject(
        &idle, &QTimer::timeout, [&idle] { idle.start(0); }, QStringLiteral("idle"));
    HealthEndpoint health(&group);
    if (!health.listen())
        return 1;
    QTcpSocket client;
    QByteArray answer;
    QObject::connect(&client, &QTcpSocket::readyRead, &client, [&] { answer += client.readAll(); });
    QObject::connect(&client, &QTcpSocket::disconnected, &group, [&group] { group.stop(); });
    QObject::connect(&group, &RunGroup::started, &client, [&] {
        client.connectToHost(QHostAddress::LocalHost, health.serverPort());
        client.write("GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    });
    QTimer::singleShot(60000, &group, [&group] { group.stop(RunError::timeout()); });
    group.run();
    const QByteArray status = answer.left(answer.indexOf("\r\n"));
    std::printf("RunGroup::Http: %s\n", status.constData());
    return status == "HTTP/1.1 200 OK" ? 0 : 1;
}
