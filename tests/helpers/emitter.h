// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// An object actor for the tests of addObject() and of groups that mix kinds of actors.

#pragma once

#include <RunGroup/RunError>

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QThread>

#include <mutex>

// An object for addObject(): exit signals with each kind of first argument, and
// interrupts usable as member functions.
class Emitter : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    void notASignal() { }

    void interruptWithError(const RunError &error)
    {
        record(error);
        Q_EMIT exitWithError(RunError());
    }
    void interruptPlain()
    {
        record(RunError());
        Q_EMIT exitPlain();
    }
    void record(const RunError &error)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_interrupts.append(error);
        m_threads.append(QThread::currentThread());
    }
    QList<RunError> interrupts() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_interrupts;
    }
    QList<QThread *> interruptThreads() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_threads;
    }

Q_SIGNALS:
    void exitWithError(const RunError &error);
    void exitWithMessage(const QString &message);
    void exitWithInt(int value);
    void exitPlain();

private:
    mutable std::mutex m_mutex;
    QList<RunError> m_interrupts;
    QList<QThread *> m_threads;
};
