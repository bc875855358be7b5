// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// examples/headless run as a child process with --health-port, for the health tests that
// need a real service: real signals, a real Prometheus, clients that must not share the
// service's file descriptors.

#pragma once

#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

#include <cstdio>
#include <cstring>

#include "childprocess.h"
#include "healthclient.h"

#ifndef RUNGROUP_HEADLESS_PATH
#error "RUNGROUP_HEADLESS_PATH must name the rungroup-headless binary"
#endif

class HeadlessService : public ChildProcess
{
public:
    explicit HeadlessService(const QStringList &arguments)
        : ChildProcess(QStringLiteral(RUNGROUP_HEADLESS_PATH), arguments, kHealthTimeout,
                       cleanEnvironment())
    { }

    static QProcessEnvironment cleanEnvironment()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"})
            environment.remove(QString::fromLatin1(name));
        return environment;
    }

    // The port of the "health on <address>:<port>" line, or 0 before it came.
    quint16 healthPort() const
    {
        static const QRegularExpression health(QStringLiteral("^health on [^ ]+:(\\d+)$"));
        for (const QString &line : stdoutLines()) {
            const QRegularExpressionMatch match = health.match(line);
            if (match.hasMatch())
                return quint16(match.captured(1).toUInt());
        }
        return 0;
    }

    bool hasLine(const QString &line) const { return stdoutLines().contains(line); }

    // Waits for the process to end, also when an event loop already saw it end (where
    // QProcess::waitForFinished() returns false).
    bool waitForExit() { return process().state() == QProcess::NotRunning || waitForFinished(); }

    // Waits for the health line; false if the process ended or timed out first.
    bool waitForHealthPort()
    {
        const auto listeningOrEnded = [this] {
            return healthPort() != 0 || process().state() == QProcess::NotRunning;
        };
        return QTest::qWaitFor(listeningOrEnded, kHealthTimeout) && healthPort() != 0;
    }

    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(healthPort()).arg(path));
    }

    // The child's resident memory in KiB (VmRSS of /proc/<pid>/status), or -1.
    long residentKiB()
    {
        const QByteArray path = "/proc/" + QByteArray::number(process().processId()) + "/status";
        FILE *file = std::fopen(path.constData(), "r");
        if (!file)
            return -1;
        char line[256];
        long value = -1;
        while (std::fgets(line, sizeof line, file)) {
            if (std::strncmp(line, "VmRSS:", 6) == 0) {
                value = std::strtol(line + 6, nullptr, 10);
                break;
            }
        }
        std::fclose(file);
        return value;
    }
};
