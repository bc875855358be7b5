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
{ }

// Before the jobs, whose nodes may still be in the inbox (an exit that came after finish()).
RunShared::~RunShared()
{
    dropInbox();
}

void RunShared::postExit(int index, RunError error)
{
    if (finished.load(std::memory_order_acquire))
        return;
    auto *node = new ExitNode{ActorExit{run, index, std::move(error)}};
    node->heap = true;
    postExit(node);
}

void RunShared::postExit(ExitNode *node)
{
    if (finished.load(std::memory_order_acquire))
        return; // a node of the run's own (a job's) is simply not pushed
    ExitNode *head = inbox.load(std::memory_order_relaxed);
    do {
        node->next = head;
    } while (!inbox.compare_exchange_weak(head, node, std::memory_order_release,
                                          std::memory_order_relaxed));
    if (head)
        return; // the inbox was not empty: its first exit's poster posts (or posted) the event
    std::lock_guard<std::mutex> lock(mutex);
    if (receiver) // null once the run finished (a push that raced finish())
        postLocked(GroupEvent::exitsPosted(), exitsEventPending);
}

void RunShared::dropInbox()
{
    for (ExitNode *node = inbox.exchange(nullptr, std::memory_order_acquire); node;) {
        ExitNode *next = node->next;
        if (node->heap)
            delete node;
        node = next;
    }
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
