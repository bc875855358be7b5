// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_RUNGROUP_P_H
#define RUNGROUP_RUNGROUP_P_H

#include <RunGroup/rungroup.h>

#include <QtCore/QBasicTimer>
#include <QtCore/QList>
#include <QtCore/QPointer>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

class QEventLoop;
class QThread;
class ShutdownWatchdog;
class SignalWatcher;

namespace RunGroupDetail {
// The hand-over lock (see g_handoff), for HandOver::post() in ThreadSanitizer builds of
// users' code (include/RunGroup/handover.h declares it there); exported in every build.
RUNGROUP_EXPORT std::recursive_mutex &handOverLock();
} // namespace RunGroupDetail

// The exit code group's mapper (or RunGroup::defaultExitCode) gives error (application.cpp).
int exitCodeFor(const RunGroup *group, const RunError &error);

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
    // while the hand-over lock is held, and destroys that copy on the context's thread:
    // after calling it, or when the context dies first and Qt drops the event unread. The
    // destructor takes the hand-over lock first, so that drop is visibly ordered after
    // the copy for ThreadSanitizer too (see g_handoff).
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

// What add*() recorded about one actor. Owned by the group's thread.
struct ActorSpec
{
    enum class Type { Thread, Object, Signal };
    Type type = Type::Thread;
    QString name;
    // Shared with actor threads and queued interrupts, which may outlive the group.
    std::shared_ptr<const RunGroupDetail::Execute> execute; // Thread
    InterruptFn interrupt;                                  // Thread, Object (may be null)
    QPointer<QObject> context;                              // Thread: where interrupt runs
    std::unique_ptr<InterruptRelay> relay; // Thread with a context, Object: see InterruptRelay
    bool hasContext = false;               // Thread: context was given (and may be gone)
    QPointer<QObject> object;              // Object
    RunGroupDetail::Connector connector;   // Object
    QList<int> signalNumbers;              // Signal
};

// State of one run shared with its actor threads and queued interrupts. It outlives the
// group when an actor timed out and is still running, so everything a late actor touches
// is here, not in the group.
struct RunShared
{
    explicit RunShared(int count) : threads(size_t(count)), interruptRequested(size_t(count)) { }

    // Posts a wake-up to the group unless one is pending, and wakes a group that waits
    // without an event loop (see RunGroupPrivate::finishWithoutEventLoop). Requires mutex.
    void wakeLocked();

    std::mutex mutex;
    std::condition_variable woken; // notified by wakeLocked()
    // Everything below is guarded by mutex.
    QObject *receiver = nullptr; // the group while the run is live; null once it finished
    bool wakePending = false;
    std::vector<std::pair<int, RunError>> exits; // threaded exits not yet seen by the group
    std::vector<QThread *> threads;              // each actor thread's QThread while execute runs
    std::vector<char> interruptRequested;
    int pendingInterrupts = 0; // queued interrupts neither delivered nor dropped
};

// Per actor, per run. Owned by the group's thread.
struct ActorRun
{
    bool exited = false;
    QMetaObject::Connection exitConnection;
    QMetaObject::Connection destroyedConnection;
    std::unique_ptr<SignalWatcher> watcher;
};

class RunGroupPrivate
{
    Q_DECLARE_PUBLIC(RunGroup)
public:
    explicit RunGroupPrivate(RunGroup *q);
    ~RunGroupPrivate();

    bool checkThread(const char *function) const;
    bool canAdd(const char *function) const;
    int append(ActorSpec &&spec);

    void startActor(int index);
    void postExit(int index, const RunError &error);
    void processWake();
    bool reportWokenExits(quint64 run);
    void actorExited(quint64 run, int index, const RunError &error);
    void beginShutdown(const RunError &error);
    void enterInterrupting(const RunError &error);
    void interruptAll();
    QObject *interruptTarget(int index) const;
    InterruptFn interruptFor(int index);
    void queueInterrupts(QObject *target, InterruptRelay *relay,
                         std::vector<std::pair<int, InterruptFn>> &&batch);
    void releaseActor(int index);
    void timeout();
    void maybeFinish();
    void finish();
    void setState(RunGroup::State state);
    void cancelRemainingEventActors();
    int runningThreads() const;
    void waitForEvents(QEventLoop &loop);
    void armWatchdog();
    void finishWithoutEventLoop();

    RunGroup *q_ptr;

    // Everything below belongs to the group's thread.
    std::vector<ActorSpec> specs;
    std::vector<ActorRun> runs;
    std::shared_ptr<RunShared> shared;
    RunGroup::State state = RunGroup::State::Idle;
    quint64 generation = 0;   // identifies the current run in queued callbacks
    int remaining = 0;        // actors of the current run that have not exited
    bool starting = false;    // inside start(): exits wait until started() is out
    int threadStartError = 0; // errno of this run's first failed thread creation
    size_t stackSize = 0;     // of actor threads; 0: the platform's default
    std::vector<std::pair<int, RunError>> exitsWhileStarting;
    // Exits taken from RunShared (or held back by start()) and not reported yet, from
    // nextWokenExit on. Members, not locals: a slot connected to actorExited() may destroy
    // the group, whose destructor must still report them.
    std::vector<std::pair<int, RunError>> wokenExits;
    size_t nextWokenExit = 0;
    bool interruptsSent = false; // interruptAll() ran for this run
    bool timedOut = false;
    bool destroying = false; // inside ~RunGroup
    // Inside ~RunGroup with no QCoreApplication, which Qt needs to deliver any event:
    // interrupts bound for this thread are called directly, the others may never run.
    bool withoutEventLoop = false;
    RunError firstError;
    RunError lastError; // error(): the last finished run's first error
    QList<RunError> errors;
    int shutdownTimeout = 0;
    QBasicTimer timeoutTimer;
    bool secondSignalExits = false;
    bool shutdownTimeoutExits = false;
    // Armed with the shutdown timeout when shutdownTimeoutExits, until timeout() or finish().
    std::unique_ptr<ShutdownWatchdog> watchdog;
    // Installed when a signal-handler actor exits with secondSignalExits, until finish().
    std::vector<std::unique_ptr<SignalWatcher>> exitGuards;
};

#endif // RUNGROUP_RUNGROUP_P_H
