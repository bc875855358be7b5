// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_EXITQUEUE_P_H
#define RUNGROUP_EXITQUEUE_P_H

#include <RunGroup/runerror.h>

#include "actorjob_p.h"

#include <QtCore/QEvent>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

class QObject;

// The group's side of the exit queue: every exit of the run not reported yet, in the order
// it is reported. Owned by the group's thread.
class ExitQueue
{
public:
    bool empty() const { return m_next == m_exits.size(); }
    void push(ActorExit exit) { m_exits.push_back(std::move(exit)); }
    ActorExit pop()
    {
        ActorExit exit = std::move(m_exits[m_next++]);
        if (empty())
            clear(); // keeps the capacity, for the next takeFrom()
        return exit;
    }
    void clear()
    {
        m_exits.clear();
        m_next = 0;
    }
    // Moves the exits of an inbox list (last posted first) behind those queued, in the
    // order they were posted, and deletes the nodes of its own.
    void takeFrom(ExitNode *list)
    {
        const size_t first = m_exits.size();
        for (ExitNode *node = list; node;) {
            ExitNode *next = node->next;
            m_exits.push_back(std::move(node->exit));
            if (node->heap)
                delete node;
            node = next;
        }
        std::reverse(m_exits.begin() + std::ptrdiff_t(first), m_exits.end());
    }

private:
    std::vector<ActorExit> m_exits;
    size_t m_next = 0; // the first exit not reported
};

// The events other threads post to a group. Each has one meaning.
namespace GroupEvent {
// Exits arrived in RunShared's inbox: take them and report them.
QEvent::Type exitsPosted();
// The last queued interrupt of the run was delivered or dropped: the run may finish.
QEvent::Type interruptsSettled();
// Every reload handler of the round ran or was dropped: reloaded().
QEvent::Type reloadsSettled();
} // namespace GroupEvent

// The part of one run shared with its actor threads and queued interrupts: the inbox for
// exits reported from any thread, and the counters the finish condition reads. It outlives
// the group when an actor timed out and is still running, so everything a late actor
// touches is here, not in the group.
struct RunShared
{
    RunShared(quint64 run, int count, QObject *receiver);

    ~RunShared();
    // Any thread: queues an actor's exit for the group and wakes it. Dropped once the run
    // has finished. Without a lock: a thousand actor threads exiting at once each push
    // their node, and only the one that finds the inbox empty takes the mutex, to post
    // exitsPosted() (the group takes everything there is when it handles it).
    void postExit(int index, RunError error);
    void postExit(ExitNode *node); // node->exit filled; not heap: the poster's own
    // Any thread: one more interrupt is queued / one queued interrupt was delivered or
    // dropped (see InterruptTicket).
    void interruptQueued();
    void interruptSettled();
    // Any thread: the same for the reload handlers of a round (reloadsSettled()).
    void reloadQueued();
    void reloadSettled();
    // The group's thread: moves the exits in the inbox to the end of queue and clears the
    // pending exitsPosted() event. Requires mutex.
    void takeExitsLocked(ExitQueue &queue)
    {
        exitsEventPending = false;
        queue.takeFrom(inbox.exchange(nullptr, std::memory_order_acquire));
    }
    bool inboxEmpty() const { return inbox.load(std::memory_order_acquire) == nullptr; }
    // The group's thread, when the run finished: exits that arrive late are dropped.
    void dropInbox();

    const quint64 run;
    // Set with receiver's reset: an actor thread that gets to its job only now drops it.
    // Read without the mutex, so that a thousand threads starting at once do not queue on
    // it.
    std::atomic<bool> finished{false};
    // Exits not yet taken by the group, the last posted first (a lock-free stack).
    std::atomic<ExitNode *> inbox{nullptr};
    std::mutex mutex;
    std::condition_variable woken; // an exit arrived, or the interrupts settled
    // Everything below is guarded by mutex.
    QObject *receiver; // the group while the run is live; null once it finished
    bool exitsEventPending = false;
    bool settledEventPending = false;
    int pendingInterrupts = 0; // queued interrupts neither delivered nor dropped
    int pendingReloads = 0;    // queued reload handlers neither called nor dropped
    bool reloadsEventPending = false;
    // Not guarded: each job is written by the group's thread before its launch and then
    // by its pool thread only (the pool's hand-over orders the two).
    std::vector<ActorJob> jobs;

private:
    void postLocked(QEvent::Type type, bool &pending);
};

#endif // RUNGROUP_EXITQUEUE_P_H
