// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Interrupt delivery: every actor's interrupt, queued to the thread of its context once per
// run, counted until it ran or was dropped.

#include "interrupts_p.h"

#include "exitqueue_p.h"
#include "handover_p.h"
#include "logging_p.h"
#include "rungroup_p.h"

#include <QtCore/QPointer>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>

#include <algorithm>
#include <exception>

namespace {
// The runs whose interrupts are being called on this thread, innermost last.
thread_local std::vector<const RunShared *> t_interrupting;
} // namespace

int interruptsInProgressHere(const RunShared *shared)
{
    return int(std::count(t_interrupting.begin(), t_interrupting.end(), shared));
}

InterruptTicket::InterruptTicket(std::shared_ptr<RunShared> shared) : m_shared(std::move(shared))
{
    m_shared->interruptQueued();
}

InterruptTicket::~InterruptTicket()
{
    m_shared->interruptSettled();
}

InterruptRelay::InterruptRelay(QObject *context)
{
    // Destroyed with the context, possibly on its thread.
    HandOverPrivate::PostScope handOver;
    connect(this, &InterruptRelay::deliver, context,
            HandOverPrivate::slot([](const Call &call) { call(); }), Qt::QueuedConnection);
}

InterruptRelay::Call::Call(std::function<void()> f)
    : m_f(std::make_shared<const std::function<void()>>(std::move(f)))
{ }

InterruptRelay::Call::~Call()
{
    HandOverPrivate::received(); // m_f, and what it holds, go after this
}

void InterruptRelay::Call::operator()() const
{
    HandOverPrivate::received(); // before reading m_f, which the group's thread wrote
    if (m_f)
        (*m_f)();
}

// The shutdown: actors still waiting for their dependencies never start, and every actor
// is interrupted, once, in add order, as soon as every actor that depends on it has
// exited (at once, in a group without dependencies). A run that ends with every actor
// ready first drains for drainDelay (see setDrainDelay()), unless the group is being
// destroyed; exits are still reported meanwhile.
void RunGroupPrivate::interruptAll()
{
    if (interruptsSent || (drainTimer.isActive() && !destroying))
        return;
    const bool drain = drainDelay > 0 && !std::exchange(drained, true) && !destroying
                       && !withoutEventLoop && remaining > 0 && readyCount == int(specs.size());
    drainTimer.stop();
    startupTimer.stop();
    if (drain) {
        qCDebug(lcCore, "RunGroup: Draining for %d ms before the interrupts", drainDelay);
        drainTimer.start(drainDelay, q_ptr);
        return;
    }
    interruptsSent = true;
    cancelRestarts();
    cancelWaitingActors();
    if (!sendDueInterrupts())
        return;
    if (shutdownTimeout > 0 && remaining > 0) {
        timeoutTimer.start(shutdownTimeout, q_ptr);
        if (shutdownTimeoutExits)
            armWatchdog();
    }
    // An empty group finishes from the callback start() queued, never inside stop().
    if (!specs.empty() && reportExits())
        maybeFinish();
}

// The drain ends: its delay passed, every actor exited meanwhile, or the group is destroyed.
void RunGroupPrivate::endDrain()
{
    if (!drainTimer.isActive())
        return;
    drainTimer.stop();
    interruptAll();
}

// Queues the interrupts that are due (all: every one not queued yet) and not queued yet,
// and says so (actorInterrupted()). Returns false if a slot destroyed the group or began
// another run.
bool RunGroupPrivate::sendDueInterrupts(bool all)
{
    if (interruptsQueued == int(specs.size()))
        return true;
    std::vector<int> due;
    for (int i = 0; i < int(specs.size()); ++i) {
        ActorRun &actor = runs[size_t(i)];
        if (!actor.interruptQueued && (all || interruptDue(i))) {
            actor.interruptQueued = true;
            due.push_back(i);
        }
    }
    interruptsQueued += int(due.size());
    // Threaded actors are also asked through their QThread, now or when their thread starts.
    for (int i : due) {
        if (specs[size_t(i)].type == ActorSpec::Type::Thread)
            shared->jobs[size_t(i)].requestInterruption();
    }
    // A run of interrupts bound for the same object goes out as one queued call: N actors
    // without a context cost one event, not N.
    QObject *batchTarget = nullptr;
    InterruptRelay *batchRelay = nullptr;
    std::vector<std::pair<int, InterruptFn>> batch;
    for (int i : due) {
        QObject *target = interruptTarget(i);
        InterruptFn interrupt = target ? interruptFor(i) : nullptr;
        if (!interrupt)
            continue; // no interrupt, or its context is already gone: dropped
        if (target != batchTarget && !batch.empty())
            queueInterrupts(batchTarget, batchRelay, std::exchange(batch, {}));
        if (batch.empty())
            batchRelay = specs[size_t(i)].relay.get();
        batchTarget = target;
        batch.emplace_back(i, std::move(interrupt));
    }
    if (!batch.empty())
        queueInterrupts(batchTarget, batchRelay, std::move(batch));
    for (int i : due)
        actorChanged(i);
    Q_Q(RunGroup);
    if (due.empty() || !q->isSignalConnected(QMetaMethod::fromSignal(&RunGroup::actorInterrupted)))
        return true;
    const quint64 run = generation;
    QPointer<RunGroup> guard(q);
    for (int i : due) {
        Q_EMIT q->actorInterrupted(i);
        if (!guard || run != generation)
            return false;
    }
    return true;
}

QObject *RunGroupPrivate::interruptTarget(int index) const
{
    const ActorSpec &spec = specs[size_t(index)];
    switch (spec.type) {
    case ActorSpec::Type::Thread: return spec.hasContext ? spec.context.data() : q_ptr;
    case ActorSpec::Type::Object: return spec.object.data();
    case ActorSpec::Type::Signal: return q_ptr;
    }
    return nullptr;
}

InterruptFn RunGroupPrivate::interruptFor(int index)
{
    const ActorSpec &spec = specs[size_t(index)];
    if (spec.type != ActorSpec::Type::Signal)
        return spec.interrupt;
    // Interrupted signal handlers exit with no error.
    const quint64 run = generation;
    return std::make_shared<const RunGroupDetail::Interrupt>(
        [this, run, index](const RunError &) { exitActor(run, index, RunError()); });
}

// Queues interrupts to target's thread, called in order with the first error. Those left
// when target is destroyed (possibly by one of them) are dropped, as Qt drops the call.
// A target other than the group goes through the first actor's relay (see InterruptRelay).
void RunGroupPrivate::queueInterrupts(QObject *target, InterruptRelay *relay,
                                      std::vector<std::pair<int, InterruptFn>> &&batch)
{
    auto ticket = std::make_shared<InterruptTicket>(shared);
    // Runs on target's thread with target alive: Qt delivered the call to it.
    auto call = [ticket, batch = std::move(batch), error = firstError, target] {
        HandOverPrivate::received();
        const QPointer<QObject> guard(target);
        t_interrupting.push_back(ticket->shared());
        const auto pop = qScopeGuard([] { t_interrupting.pop_back(); });
        for (const auto &[index, interrupt] : batch) {
            if (!guard)
                return;
            callGuarded("interrupt", index, *interrupt, error);
        }
    };
    if (withoutEventLoop && target->thread() == QThread::currentThread()) {
        call(); // no event would ever bring it (see finishWithoutEventLoop)
        return;
    }
    postToContext(target, relay, std::move(call));
}

void callGuarded(const char *what, int index, const RunGroupDetail::Interrupt &f,
                 const RunError &error)
{
    try {
        f(error);
    } catch (const std::exception &e) {
        qCWarning(lcCore, "RunGroup: The %s of actor %d threw an exception: %s", what, index,
                  e.what());
    } catch (...) {
        qCWarning(lcCore, "RunGroup: The %s of actor %d threw an exception: unknown exception",
                  what, index);
    }
}

void postToContext(QObject *target, InterruptRelay *relay, std::function<void()> call)
{
    if (relay) {
        // Not delivered if the context is gone by now: the call, and its ticket, then go
        // with this copy, after the hand-over ended (the ticket takes the run's mutex).
        const InterruptRelay::Call shared(std::move(call));
        HandOverPrivate::PostScope handOver;
        Q_EMIT relay->deliver(shared);
    } else {
        HandOverPrivate::PostScope handOver;
        QMetaObject::invokeMethod(target, std::move(call), Qt::QueuedConnection);
    }
}
