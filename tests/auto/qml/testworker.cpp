// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "testworker.h"

#include <RunGroup/HandOver>

#include <QtCore/QScopeGuard>

#include <chrono>
#include <stdexcept>

std::atomic<int> TestWorker::s_running{0};
std::atomic<int> TestWorker::s_returned{0};

TestWorker::TestWorker(QObject *parent) : ThreadActor(parent) { }

void TestWorker::aboutToRun()
{
    m_runFailAfter = m_failAfter;
    m_runFailMessage = m_failMessage;
    m_runThrowException = m_throwException;
    m_runMarkReadyAfter = m_markReadyAfter;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stop = false;
}

RunError TestWorker::execute()
{
    ++s_running;
    const auto done = qScopeGuard([this] {
        --s_running;
        ++s_returned;
        // To the GUI thread, visibly ordered for ThreadSanitizer too (a tsan report here
        // when the machine was busy: the GUI thread found the event before its wake-up).
        HandOver::post(this, [this] {
            ++m_executeCount;
            Q_EMIT executeCountChanged();
        });
    });
    const int failAfter = m_runFailAfter;
    const QString message = m_runFailMessage;
    const bool throwException = m_runThrowException;
    const int markReadyAfter = m_runMarkReadyAfter;

    std::unique_lock<std::mutex> lock(m_mutex);
    const auto stopped = [this] { return m_stop || isInterruptionRequested(); };
    if (markReadyAfter >= 0) {
        if (m_wake.wait_for(lock, std::chrono::milliseconds(markReadyAfter), stopped))
            return RunError();
        lock.unlock();
        markReady(); // from the actor's own thread: the group queues it, for this run
        lock.lock();
    }
    if (failAfter < 0) {
        // Polls the interruption flag too, which the group sets before delivering the
        // interrupt: either one ends the wait.
        while (!stopped())
            m_wake.wait_for(lock, std::chrono::milliseconds(20));
        return RunError();
    }
    if (m_wake.wait_for(lock, std::chrono::milliseconds(failAfter), stopped))
        return RunError();
    if (throwException)
        throw std::runtime_error(message.toStdString());
    return message.isEmpty() ? RunError() : RunError::failure(message);
}

void TestWorker::interrupt(const RunError &error)
{
    Q_UNUSED(error);
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    ++m_interruptCount;
    Q_EMIT interruptCountChanged();
}
