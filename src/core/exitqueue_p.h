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

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

class QObject;

// One actor's exit, on its way to actorExited(). run is the generation of the run it
// belongs to: an exit that arrives after its run ended is dropped.
struct ActorExit
{
    quint64 run = 0;
    int index = -1;
    RunError error;
};

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
    // Moves inbox's exits behind those queued, leaving inbox empty. When nothing is queued
    // (the common case) the two buffers trade places: the inbox's lock is held for a swap,
    // not for a copy, while a thousand actor threads may be waiting to post their exits.
    void takeFrom(std::vector<ActorExit> &inbox)
    {
        if (empty()) {
            clear();
            m_exits.swap(inbox);
            return;
        }
        for (ActorExit &exit : inbox)
            m_exits.push_back(std::move(exit));
        inbox.clear();
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

    // Any thread: queues an actor's exit for the group and wakes it. Dropped once the run
    // has finished (receiver is null).
    void postExit(int index, RunError error);
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
        queue.takeFrom(exits);
    }

    const quint64 run;
    // Set with receiver's reset: an actor thread that gets to its job only now drops it.
    // Read without the mutex, so that a thousand threads starting at once do not queue on
    // it.
    std::atomic<bool> finished{false};
    std::mutex mutex;
    std::condition_variable woken; // an exit arrived, or the interrupts settled
    // Everything below is guarded by mutex.
    QObject *receiver; // the group while the run is live; null once it finished
    bool exitsEventPending = false;
    bool settledEventPending = false;
    std::vector<ActorExit> exits; // exits not yet taken by the group
    int pendingInterrupts = 0;    // queued interrupts neither delivered nor dropped
    int pendingReloads = 0;       // queued reload handlers neither called nor dropped
    bool reloadsEventPending = false;
    // Not guarded: each job is written by the group's thread before its launch and then
    // by its pool thread only (the pool's hand-over orders the two).
    std::vector<ActorJob> jobs;

private:
    void postLocked(QEvent::Type type, bool &pending);
};

#endif // RUNGROUP_EXITQUEUE_P_H
