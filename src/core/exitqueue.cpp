// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "exitqueue_p.h"

#include "handover_p.h"

#include <QtCore/QCoreApplication>

QEvent::Type GroupEvent::exitsPosted()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

QEvent::Type GroupEvent::interruptsSettled()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

QEvent::Type GroupEvent::reloadsSettled()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

RunShared::RunShared(quint64 run, int count, QObject *receiver)
    : run(run), receiver(receiver), jobs(size_t(count))
{
    // Pushed under the mutex by every actor thread: never reallocated there.
    exits.reserve(size_t(count));
}

void RunShared::postExit(int index, RunError error)
{
    std::lock_guard<std::mutex> lock(mutex);
    if (!receiver)
        return;
    exits.push_back(ActorExit{run, index, std::move(error)});
    postLocked(GroupEvent::exitsPosted(), exitsEventPending);
}

void RunShared::interruptQueued()
{
    std::lock_guard<std::mutex> lock(mutex);
    ++pendingInterrupts;
}

void RunShared::interruptSettled()
{
    std::lock_guard<std::mutex> lock(mutex);
    if (--pendingInterrupts == 0 && receiver)
        postLocked(GroupEvent::interruptsSettled(), settledEventPending);
}

void RunShared::reloadQueued()
{
    std::lock_guard<std::mutex> lock(mutex);
    ++pendingReloads;
}

void RunShared::reloadSettled()
{
    std::lock_guard<std::mutex> lock(mutex);
    if (--pendingReloads == 0 && receiver)
        postLocked(GroupEvent::reloadsSettled(), reloadsEventPending);
}

// One event of a kind at a time: the group takes everything there is when it handles it.
// Also wakes a group that waits without an event loop (RunGroupPrivate::finishWithoutEventLoop).
void RunShared::postLocked(QEvent::Type type, bool &pending)
{
    woken.notify_all();
    if (pending)
        return;
    pending = true;
    HandOverPrivate::PostScope handOver;
    QCoreApplication::postEvent(receiver, new QEvent(type));
}
