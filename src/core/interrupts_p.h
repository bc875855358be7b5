// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_INTERRUPTS_P_H
#define RUNGROUP_INTERRUPTS_P_H

#include <RunGroup/rungroup.h>

#include <QtCore/QObject>

#include <functional>
#include <memory>

struct RunShared;

using InterruptFn = std::shared_ptr<const RunGroupDetail::Interrupt>;

// Carries an actor's queued interrupts to its context through a connection made by add*(),
// while the context was known to exist. Qt posts through a connection only while its
// receiver exists, checked under the receiver's lock that its destructor also takes;
// posting to a context that another thread may be deleting meanwhile (what
// QMetaObject::invokeMethod() on a QPointer's object would do) uses freed memory.
// Lives on the group's thread.
class InterruptRelay : public QObject
{
    Q_OBJECT
public:
    // What deliver() carries. Qt copies it into the queued event on the group's thread,
    // inside a hand-over (handover_p.h), and destroys that copy on the context's thread:
    // after calling it, or when the context dies first and Qt drops the event unread. Both
    // are ordered after the copy for ThreadSanitizer too.
    class Call
    {
    public:
        Call() = default;
        explicit Call(std::function<void()> f);
        Call(const Call &) = default;
        Call &operator=(const Call &) = default;
        ~Call();
        void operator()() const;

    private:
        std::shared_ptr<const std::function<void()>> m_f;
    };
    explicit InterruptRelay(QObject *context);

Q_SIGNALS:
    void deliver(const InterruptRelay::Call &call);
};

// Counts one queued interrupt from the moment it is posted until its functor is destroyed,
// which happens after it ran or when its context died and Qt dropped it.
class InterruptTicket
{
public:
    explicit InterruptTicket(std::shared_ptr<RunShared> shared);
    ~InterruptTicket();
    Q_DISABLE_COPY_MOVE(InterruptTicket)

    RunShared *shared() const { return m_shared.get(); }

private:
    std::shared_ptr<RunShared> m_shared;
};

// How many interrupts of shared's run are being called on this thread now (0 or 1, more
// when an interrupt spins an event loop). An interrupt that destroys its group waits in
// ~RunGroup for every interrupt to settle but its own, which cannot until it returns.
int interruptsInProgressHere(const RunShared *shared);

// Calls f(error), an actor's interrupt or reload handler (what names it in the warning
// printed for an exception it throws, which goes no further).
void callGuarded(const char *what, int index, const RunGroupDetail::Interrupt &f,
                 const RunError &error);

// Queues call to target's thread: through relay when the actor has a context (see
// InterruptRelay), otherwise straight to target.
void postToContext(QObject *target, InterruptRelay *relay, std::function<void()> call);

#endif // RUNGROUP_INTERRUPTS_P_H
