// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_SHUTDOWNWATCHDOG_P_H
#define RUNGROUP_SHUTDOWNWATCHDOG_P_H

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

// The opt-in hard end of a shutdown (RunGroup::setShutdownTimeoutExits): a thread of its
// own that writes message to stderr and calls _exit(exitCode) once `after` has passed,
// unless the watchdog is destroyed first. It exists because the shutdown timeout's timer
// lives on the group's thread, which an interrupt or a slot may block.
class ShutdownWatchdog
{
public:
    // Returns null, with errorString set, when its thread cannot be created.
    static std::unique_ptr<ShutdownWatchdog> arm(std::chrono::milliseconds after, int exitCode,
                                                 const QString &message, QString *errorString);
    // Disarms it and joins its thread (at once: the thread only waits).
    ~ShutdownWatchdog();
    ShutdownWatchdog(const ShutdownWatchdog &) = delete;
    ShutdownWatchdog &operator=(const ShutdownWatchdog &) = delete;

private:
    ShutdownWatchdog() = default;
    void watch(std::chrono::steady_clock::time_point deadline, int exitCode);

    std::mutex m_mutex;
    std::condition_variable m_disarm;
    bool m_disarmed = false; // guarded by m_mutex
    QByteArray m_message;    // written before the thread starts, read-only after
    std::thread m_thread;
};

#endif // RUNGROUP_SHUTDOWNWATCHDOG_P_H
