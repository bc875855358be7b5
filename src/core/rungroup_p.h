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

#include <functional>
#include <memory>
#include <vector>

#include "exitqueue_p.h"
#include "interrupts_p.h"

class ActorModel;
class QEventLoop;
class QThread;
class ShutdownWatchdog;
class SignalWatcher;

// The exit code group's mapper (or RunGroup::defaultExitCode) gives error
// (application/application.cpp).
int exitCodeFor(const RunGroup *group, const RunError &error);

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
    // Object: called when the actor starts (a ready-made actor begins its work there).
    std::function<void()> onStart;
    QList<int> dependencies; // setDependencies()
    bool requiresReady = false;
    // Exit policy and restarts (restarts.cpp). restartable: a threaded actor, or an
    // adaptor that can begin again (ActorAdaptor::canRestart()).
    RunGroup::ExitPolicy exitPolicy = RunGroup::ExitPolicy::EndRun;
    bool restartable = false;
    int maxRestarts = 5;
    qint64 restartWindowMs = 10000;
    int backoffInitialMs = 100;
    int backoffMaxMs = 5000;
    InterruptFn reloadHandler; // setReloadHandler(), queued as the interrupt is
    QList<int> reloadSignals;  // Signal: setReloadSignals()
};

// Per actor, per run. Owned by the group's thread.
struct ActorRun
{
    bool started = false;         // launched in this run (not waiting for dependencies)
    bool ready = false;           // see requireReady(); isReady()
    bool readyAnnounced = false;  // actorReady() was emitted: its dependents may start
    bool interruptQueued = false; // its interrupt was queued (or dropped, context gone)
    bool exited = false;
    qint64 since = 0; // when its state last changed (ms since the epoch), for the model
    // Restarts in this run (restarts.cpp).
    int restarts = 0;            // actorRestarting() so far
    int backoffStep = 0;         // consecutive quick failures: the backoff's exponent
    qint64 incarnationStart = 0; // monotonic ms, when this incarnation was launched
    // Monotonic ms, the restarts within the window. A QList: empty, it allocates nothing
    // (a std::deque allocates ~600 bytes per actor per run, restarts or not).
    QList<qint64> restartTimes;
    QBasicTimer restartTimer; // the backoff wait
    qint64 nextAttempt = 0;   // ms since the epoch, for the model
    bool restarting = false;  // waiting for restartTimer
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
    static RunGroupPrivate *get(RunGroup *group) { return group->d_func(); }
    static const RunGroupPrivate *get(const RunGroup *group) { return group->d_func(); }

    bool checkThread(const char *function) const;
    bool checkMs(const char *function, const char *what, long long ms) const;
    bool canAdd(const char *function) const;
    bool canConfigure(const char *function, int index, const char *what = "the order") const;
    int append(ActorSpec &&spec);

    // The run (runstate.cpp).
    void launch(int index);
    void startWaitingActors();
    bool announceLaunched();
    void startActor(int index);
    void postExit(int index, const RunError &error);
    void exitActor(quint64 run, int index, const RunError &error);
    void takePostedExits();
    bool reportExits();
    void reportExit(const ActorExit &exit);
    void beginShutdown(const RunError &error);
    void enterInterrupting(const RunError &error);
    void releaseActor(int index);
    void timeout();
    bool interruptsSettled() const;
    void maybeFinish();
    void finish();
    void setState(RunGroup::State state);
    bool onlyEventActorsLeft() const;
    void cancelRemainingEventActors(bool interruptedOnly);
    int interruptedThreadsRunning() const;
    void waitForEvents(QEventLoop &loop);
    void armWatchdog();
    void finishWithoutEventLoop();

    // Exit policies, restarts and reload (restarts.cpp).
    enum class ExitOutcome { EndRun, Retire, Restart };
    ExitOutcome exitOutcome(int index, const RunError &error);
    void restartLater(int index, const RunError &error);
    bool restartTimerEvent(int timerId);
    void relaunch(int index);
    void cancelRestarts();
    void retired();
    void beginReload();
    void reloadsSettled();

    // Ordered start and stop (ordering.cpp).
    void computeDependents();
    bool dependenciesReady(int index) const;
    void markReadyNow(quint64 run, int index, bool queued, int incarnation);
    void becameReady(int index);
    bool interruptDue(int index) const;
    QString waitingFor(int index) const;
    void startupTimedOut();
    void cancelWaitingActors();
    QString actorLabel(int index) const;
    void actorChanged(int index);

    // Interrupt delivery (interrupts.cpp).
    void interruptAll();
    void endDrain();
    bool sendDueInterrupts(bool all = false);
    QObject *interruptTarget(int index) const;
    InterruptFn interruptFor(int index);
    void queueInterrupts(QObject *target, InterruptRelay *relay,
                         std::vector<std::pair<int, InterruptFn>> &&batch);

    RunGroup *q_ptr;

    // Everything below belongs to the group's thread.
    std::vector<ActorSpec> specs;
    std::vector<ActorRun> runs;
    std::shared_ptr<RunShared> shared;
    RunGroup::State state = RunGroup::State::Idle;
    quint64 generation = 0;   // identifies the current run in queued callbacks
    int remaining = 0;        // actors of the current run that have not exited
    bool starting = false;    // inside start(): exits stay queued until started() is out
    int threadStartError = 0; // errno of this run's first failed thread creation
    size_t stackSize = 0;     // of actor threads; 0: the platform's default
    // The one road of an exit to actorExited(): every exit of the run, from any actor kind
    // and any thread, is queued here and reported in order by reportExits(). A member, not
    // a local: a slot connected to actorExited() may destroy the group, whose destructor
    // must still report what is queued.
    ExitQueue exitQueue;
    bool interruptsSent = false; // interruptAll() ran for this run
    int interruptsQueued = 0;    // actors whose interrupt was queued (or dropped) this run
    // Ordered start and stop: for each actor, every actor that depends on it directly or
    // not; computed at start() when any actor has dependencies, empty otherwise.
    std::vector<std::vector<int>> dependents;
    std::vector<int> launched;     // started, not yet announced (actorStarted())
    std::vector<int> pendingReady; // marked ready inside start(), not yet announced
    size_t nextLaunched = 0;       // announceLaunched()'s cursors in the two lists
    size_t nextReady = 0;
    int readyCount = 0;
    int startupTimeout = 0;
    QBasicTimer startupTimer;
    int restartTimersActive = 0; // actors waiting to restart (ActorRun::restarting)
    int reloadRound = 0;         // reload handlers of the current round not settled yet
    bool reloadAgain = false;    // reload() during a round: one more round after it
    int drainDelay = 0;
    QBasicTimer drainTimer;      // active while the run drains (interruptAll())
    bool drained = false;        // this run's drain is over (or there was none)
    ActorModel *model = nullptr; // actorModel(), made on first use; a child of the group
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
