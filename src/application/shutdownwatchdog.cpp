// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "shutdownwatchdog_p.h"

#include "immediateexit_p.h"

#include <cstdio>
#include <system_error>

std::unique_ptr<ShutdownWatchdog> ShutdownWatchdog::arm(std::chrono::milliseconds after,
                                                        int exitCode, const QString &message,
                                                        QString *errorString)
{
    std::unique_ptr<ShutdownWatchdog> watchdog(new ShutdownWatchdog);
    watchdog->m_message = message.toLocal8Bit() + '\n';
    // Saturates instead of overflowing for a deadline beyond the clock's range.
    const auto now = std::chrono::steady_clock::now();
    const auto room = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::time_point::max() - now);
    const auto deadline = after < room ? now + after : std::chrono::steady_clock::time_point::max();
    try {
        watchdog->m_thread =
            std::thread(&ShutdownWatchdog::watch, watchdog.get(), deadline, exitCode);
    } catch (const std::system_error &e) {
        *errorString = QStringLiteral("RunGroup: Cannot start the shutdown watchdog thread: %1")
                           .arg(QString::fromLocal8Bit(e.what()));
        return nullptr;
    }
    return watchdog;
}

ShutdownWatchdog::~ShutdownWatchdog()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_disarmed = true;
    }
    m_disarm.notify_all();
    m_thread.join();
}

void ShutdownWatchdog::watch(std::chrono::steady_clock::time_point deadline, int exitCode)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    if (m_disarm.wait_until(lock, deadline, [this] { return m_disarmed; }))
        return;
    // As the second-signal exit does: nothing that needs the blocked thread, no
    // destructors, no atexit handlers that might wait for it.
    ImmediateExit::exit(exitCode, m_message.constData(), size_t(m_message.size()));
}
