// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "download.h"

#include <RunGroup/HandOver>

Download::Download(QObject *parent) : ThreadActor(parent) { }

void Download::aboutToRun()
{
    m_runFileSize = qMax<qint64>(1, m_fileSize);
    m_runSpeed = qMax<qint64>(1, m_speed);
    m_sleeper.reset();
    report(0, 0);
}

RunError Download::execute()
{
    constexpr int step = 40; // ms per chunk
    const qint64 chunk = qMax<qint64>(1, m_runSpeed * step / 1000);
    qint64 received = 0;
    int files = 0;
    while (m_sleeper.sleep(std::chrono::milliseconds(step))) {
        received += chunk;
        if (received >= m_runFileSize) {
            received = 0;
            ++files;
        }
        const double progress = double(received) / double(m_runFileSize);
        // Back to the GUI thread (see counter.cpp); dropped if this object is gone by then.
        HandOver::post(this, [this, progress, files] { report(progress, files); });
    }
    return RunError(); // interrupted
}

void Download::interrupt(const RunError &error)
{
    Q_UNUSED(error);
    m_sleeper.wake();
}

void Download::report(double progress, int files)
{
    m_progress = progress;
    m_files = files;
    Q_EMIT progressChanged();
}
