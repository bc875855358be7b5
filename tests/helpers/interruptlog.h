// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Records the calls of actors' interrupts, from any thread.

#pragma once

#include <RunGroup/RunError>

#include <QtCore/QList>
#include <QtCore/QThread>

#include <memory>
#include <mutex>
#include <vector>

#include "testsync.h"

// Records interrupt calls from any thread.
class InterruptLog
{
public:
    struct Call
    {
        int actor;
        RunError error;
        QThread *thread;
    };

    void record(int actor, const RunError &error)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_calls.push_back({actor, error, QThread::currentThread()});
    }
    std::vector<Call> calls() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_calls;
    }
    int count() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return int(m_calls.size());
    }
    int countFor(int actor) const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        int n = 0;
        for (const Call &call : m_calls)
            n += call.actor == actor;
        return n;
    }
    QList<int> order() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        QList<int> result;
        for (const Call &call : m_calls)
            result.append(call.actor);
        return result;
    }
    void clear()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_calls.clear();
    }

private:
    mutable std::mutex m_mutex;
    std::vector<Call> m_calls;
};

// An interrupt that records its calls into log as those of actor.
inline auto recordInto(std::shared_ptr<InterruptLog> log, int actor)
{
    return [log, actor](const RunError &error) { log->record(actor, error); };
}

// An interrupt that records its call into log as actor's, then opens gate (what the actor
// waits on).
inline auto recordAndOpen(std::shared_ptr<InterruptLog> log, int actor, std::shared_ptr<Gate> gate)
{
    return [log, actor, gate](const RunError &error) {
        log->record(actor, error);
        gate->open();
    };
}
