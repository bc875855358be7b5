// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_RUNGROUP_H
#define RUNGROUP_RUNGROUP_H

#include <RunGroup/runerror.h>
#include <RunGroup/rungroup_detail.h> // not API: the templates' plumbing
#include <RunGroup/rungroup_export.h>

#include <QtCore/QFuture>
#include <QtCore/QList>
#include <QtCore/QMetaMethod>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

class QAbstractItemModel;
class QProcess;
class RunGroupPrivate;

//! RunGroup runs a group of actors as one unit, like Go's oklog/run.Group.
//!
//! An actor is an execute function and an interrupt function. start() runs every actor
//! concurrently; when the first one exits, every actor (that one included) is interrupted
//! with its error, once, in add order; when all have exited, finished() carries that first
//! error. A group goes from State::Idle to State::Running (start()), State::Interrupting
//! (the first exit, or stop()) and State::Finished (the last exit), and from there to
//! State::Running again; actors are added while it is idle or finished.
//!
//! A RunGroup is used from the thread it lives on (its "group thread"), where it emits
//! every signal. A member called from another thread prints `"RunGroup::<function>: Must
//! be called from the group's thread"` and has no effect, unless it says it is thread-safe.
//!
//! `#include <RunGroup/RunGroup>`; CMake: `find_package(RunGroup CONFIG REQUIRED)`,
//! `target_link_libraries(app PRIVATE RunGroup::RunGroup)`. docs/rungroup.md has the long
//! form; ActorThreads, RunTrace, ServiceNotifier and HandOver are the policies and tools
//! beside the group.
class RUNGROUP_EXPORT RunGroup : public QObject
{
    Q_OBJECT
    //! The group's state; see state().
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    //! Whether the group runs; setting it starts or stops it. See setRunning().
    Q_PROPERTY(bool running READ isRunning WRITE setRunning NOTIFY runningChanged)
    //! The number of actors; see count().
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    //! The first error of the last finished run; see error().
    Q_PROPERTY(RunError error READ error NOTIFY errorChanged)
    //! Each actor's exit error of the current or last run, by index; see errors().
    Q_PROPERTY(QList<RunError> errors READ errors NOTIFY errorsChanged)
    //! Milliseconds to wait for interrupted actors (0: forever); see shutdownTimeout().
    Q_PROPERTY(int shutdownTimeout READ shutdownTimeout WRITE setShutdownTimeout NOTIFY
                   shutdownTimeoutChanged)

public:
    //! The states of a group. isRunning() is true in Running and Interrupting.
    enum class State {
        Idle,         //!< A new group, never started. Actors can be added.
        Running,      //!< From start() until the first actor exits or stop() is called.
        Interrupting, //!< The interrupts are queued; waiting for the actors and interrupts.
        Finished      //!< Every actor exited and finished() was emitted. start() runs again.
    };
    Q_ENUM(State)

    //! Constructs an idle group; it lives on the constructing thread, its group thread.
    explicit RunGroup(QObject *parent = nullptr);
    //! Destroying a running group stops it (RunError::canceled()) and waits for every actor,
    //! processing the group thread's events as run() does. Destroy it on the group's thread.
    ~RunGroup() override;

    // Actors. Each add function is called on the group's thread while the group is idle or
    // finished, and returns the new actor's index, or -1 with a warning.
#ifdef Q_QDOC
    //! Adds a threaded actor: execute (returning RunError or void; a thrown exception is
    //! Kind::Exception) runs on an actor thread whose objectName is name. interrupt (taking
    //! const RunError & or nothing; may be empty) is queued to context's thread (the group's
    //! when null) and dropped if context dies first. A thread start() cannot create fails
    //! the actor (Kind::Failure) and cancels the threaded actors after it (docs/rungroup.md).
    int add(Functor execute, Functor interrupt = {}, QObject *context = nullptr,
            const QString &name = {});
    //! Adds an event-driven actor: it runs from start() until object emits exitSignal (a
    //! first argument RunError is the error; a non-empty QString, RunError::failure(it)),
    //! or exits with RunError::canceled() when object is destroyed. interrupt (a callable or
    //! a member function of object's class) is queued on object's thread. object may live
    //! on another thread, but must outlive the moment its actor starts and connects to it
    //! (start(), or later once its dependencies are ready, and each restart).
    int addObject(QObject *object, PointerToMemberFunction exitSignal, Functor interrupt = {},
                  const QString &name = {});
    //! Adds an actor that runs until future finishes: no error, Kind::Exception (the
    //! future's exception) or Kind::Canceled. Its interrupt cancels the future and waits
    //! for the job to end. Works with QtConcurrent::run and QPromise.
    template <typename T>
    int add(const QFuture<T> &future, const QString &name = {});
#else
    // The templates the declarations above describe (Doxygen reads those, with Q_QDOC
    // defined): thin wrappers over exported functions, in <RunGroup/rungroup_impl.h>.
    template <typename Execute, typename Interrupt = RunGroupDetail::Interrupt,
              typename = std::enable_if_t<!RunGroupDetail::isFuture<std::decay_t<Execute>>>>
    int add(Execute &&execute, Interrupt &&interrupt = {}, QObject *context = nullptr,
            const QString &name = {});
    template <typename Object, typename Signal, typename Interrupt = RunGroupDetail::Interrupt>
    int addObject(Object *object, Signal exitSignal, Interrupt &&interrupt = {},
                  const QString &name = {});
    template <typename T>
    int add(const QFuture<T> &future, const QString &name = {});
#endif
    //! Adds an actor that is a child process: started at start(), it exits with the process
    //! (exit code 0: no error; otherwise Kind::Failure with the code and the tail of its
    //! standard error). The interrupt is terminate(), then kill() after killTimeoutMs
    //! (0 to INT_MAX; the actor then exits with Kind::Timeout). name defaults to the
    //! program's file name. docs/integration.md has the details.
    int addProcess(const QString &program, const QStringList &arguments = {},
                   const QString &name = {}, int killTimeoutMs = 5000);
    //! Adds an actor for a QProcess you configured, as the overload above does for a
    //! program. process must not be running and must live on the group's thread.
    int addProcess(QProcess *process, const QString &name = {}, int killTimeoutMs = 5000);
    //! Adds a deadline: an actor that exits with Kind::Timeout once duration (positive, up to
    //! std::chrono::milliseconds::max()) has passed since start(), and with no error when
    //! interrupted. name defaults to "timeout".
    int addTimeout(std::chrono::milliseconds duration, const QString &name = {});
    //! Adds a deadline of ms milliseconds; see the overload above.
    int addTimeout(int ms, const QString &name = {})
    {
        return addTimeout(std::chrono::milliseconds(ms), name);
    }
    //! Adds child, another idle or finished group on this thread that does not contain this
    //! one, as an actor: it starts with this group, its finished(error) is the actor's exit,
    //! and the interrupt is child->stop(error): a shutdown in stages (docs/integration.md).
    //! name defaults to child's objectName().
    int addGroup(RunGroup *child, const QString &name = {});

    //! What a worker thread does with its objects once its event loop has ended.
    enum class WorkerObjects {
        MoveBack, //!< Move the objects back to the group's thread.
        Delete    //!< Delete the objects on the worker thread.
    };
    Q_ENUM(WorkerObjects)
#ifdef Q_QDOC
    //! Adds a worker event-loop actor: at start() objects (parentless, on the group's
    //! thread) move to a new QThread whose exec() is the actor's execute. interrupt is
    //! queued there for them to clean up, then the loop quits and the objects are handled
    //! as after says. exitWorker() ends the actor with an error. If the thread cannot be
    //! created, the actor exits with Kind::Failure and the objects stay (docs/integration.md).
    int addWorkerThread(const QList<QObject *> &objects, Functor interrupt = {},
                        const QString &name = {}, WorkerObjects after = WorkerObjects::MoveBack);
#else
    template <typename Interrupt = RunGroupDetail::Interrupt>
    int addWorkerThread(const QList<QObject *> &objects, Interrupt &&interrupt = {},
                        const QString &name = {}, WorkerObjects after = WorkerObjects::MoveBack);
#endif
    //! On a worker thread of addWorkerThread(), ends its actor with error (the first call of
    //! a run wins). Elsewhere: warning, no effect.
    static void exitWorker(const RunError &error = {});
    //! Adds an actor that exits with RunError::fromSignal(n) when the process receives a
    //! signal n of signalNumbers, and with no error when interrupted; its handlers are
    //! installed by start() and removed at its exit. A signal that cannot be handled
    //! (SIGKILL, SIGSTOP, the fault signals, the C library's own) prints
    //! `"RunGroup::addSignalHandler: Cannot handle signal <n>"` (docs/rungroup.md).
    //! Windows: console control events instead, Ctrl+C as SIGINT, Ctrl+Break as SIGBREAK,
    //! closing the console, logoff and shutdown as SIGTERM, and only those three numbers
    //! can be handled (docs/building.md, "Platform differences").
#ifdef Q_OS_WIN
    int addSignalHandler(const QList<int> &signalNumbers = {SIGINT, SIGBREAK, SIGTERM});
#else
    int addSignalHandler(const QList<int> &signalNumbers = {SIGINT, SIGTERM});
#endif

    // Ordered start and stop (docs/ordering.md). The configuration is set while idle or
    // finished and lasts across runs; readiness starts anew at each start().

    //! Declares that actor index is ready only once markReady(index) says so; by default an
    //! actor is ready as soon as it has started.
    void requireReady(int index);
    //! Says that actor index, which requireReady(), is ready: its dependents may start.
    //! Thread-safe: from another thread it is queued to the group's thread.
    void markReady(int index);
    //! Returns whether actor index is ready in the current (or last) run.
    bool isReady(int index) const;
    //! Returns whether actor index requireReady().
    bool requiresReady(int index) const;
    //! Returns whether actor index has started in the current (or last) run: false while
    //! it waits for its dependencies, and for one that never started.
    bool isStarted(int index) const;
    //! Makes actor index start only once every actor of dependencies is ready, and be
    //! interrupted only once every actor that depends on it has exited. An unknown index,
    //! itself, a cycle, or a running group: a warning naming the actors, false, no change.
    bool setDependencies(int index, const QList<int> &dependencies);
    //! Returns the dependencies of actor index.
    QList<int> dependencies(int index) const;
    //! Milliseconds within which every actor must be ready (0, the default: no limit); when
    //! they are not, the run ends with Kind::Timeout naming those that were not.
    int startupTimeout() const;
    //! Sets startupTimeout() (0 to INT_MAX; otherwise: warning, no change).
    void setStartupTimeout(int ms);
    //! Sets startupTimeout() (0 to INT_MAX ms; otherwise: warning, no change).
    void setStartupTimeout(std::chrono::milliseconds timeout);
    //! A live model of the actors, a row each (roles name, state, error, dependencies,
    //! since, restarts and nextAttempt), owned by the group and updated on its thread.
    QAbstractItemModel *actorModel() const;

    // Exit policies, restarts and reload (docs/restarts.md). Set while idle or finished;
    // the configuration lasts across runs. Bad input: a warning, no change.

    //! What an actor's exit does to the run.
    enum class ExitPolicy {
        EndRun,         //!< Every exit ends the run, as in oklog/run. The default.
        EndRunOnError,  //!< An error ends the run; a clean exit retires the actor.
        RestartOnError, //!< An error restarts the actor; a clean exit retires it.
        Restart         //!< Every exit restarts the actor.
    };
    Q_ENUM(ExitPolicy)
    //! Sets actor index's exit policy. A run whose actors have all retired finishes with no
    //! error. The restarting policies need an actor that can begin again (add(),
    //! addProcess(), addTimeout(), addGroup(), addWorkerThread() with MoveBack); for
    //! another: warning, no change.
    void setExitPolicy(int index, ExitPolicy policy);
    //! Returns actor index's exit policy.
    ExitPolicy exitPolicy(int index) const;
    //! Allows maxRestarts (0 or more) restarts of actor index within any window (positive);
    //! the next failure ends the run with its error. Default: 5 within 10 s.
    void setRestartLimit(int index, int maxRestarts, std::chrono::milliseconds window);
    //! Waits initial, then twice as long each time, up to max (0 <= initial <= max <=
    //! INT_MAX ms; ±20% jitter) before each restart of actor index; back to initial once an
    //! incarnation ran for max (at least 1 s). Default: 100 ms to 5 s.
    void setRestartBackoff(int index, std::chrono::milliseconds initial,
                           std::chrono::milliseconds max);
    //! Returns how often actor index restarted in the current (or last) run.
    int restartCount(int index) const;
#ifdef Q_QDOC
    //! Sets what reload() calls for actor index (taking const RunError & or nothing),
    //! queued to the thread its interrupt goes to; an empty one removes it.
    void setReloadHandler(int index, Functor handler);
#else
    template <typename Handler>
    void setReloadHandler(int index, Handler &&handler);
#endif
    //! Makes the signals signalNumbers of signal-handler actor index call reload() instead
    //! of ending its run (SIGHUP by default; watched besides its own). Returns false with a
    //! warning for another kind of actor or a signal that cannot be handled. Windows has no
    //! SIGHUP: name the console event (Ctrl+Break is SIGBREAK) that reloads.
#ifdef Q_OS_WIN
    bool setReloadSignals(int index, const QList<int> &signalNumbers);
#else
    bool setReloadSignals(int index, const QList<int> &signalNumbers = {SIGHUP});
#endif

    //! Returns the group's state.
    State state() const;
    //! Returns true while the group is Running or Interrupting.
    bool isRunning() const;
    //! true is start(); false is stop(RunError::canceled()); no effect in that state already.
    void setRunning(bool running);
    //! Returns the number of actors.
    int count() const;
    //! Returns the name given to actor index, or an empty string.
    QString actorName(int index) const;
    //! Returns the first error of the last finished run.
    RunError error() const;
    //! Returns each actor's exit error of the current or last run, by index.
    QList<RunError> errors() const;

    //! Milliseconds the group waits for actors once their interrupts were delivered; 0 (the
    //! default) waits forever. Actors still running then exit with Kind::Timeout and are
    //! left to end on their own thread. A timer on the group's thread measures it (see
    //! shutdownTimeoutExits()); a change applies from the next shutdown.
    int shutdownTimeout() const;
    //! Sets shutdownTimeout() (0 to INT_MAX; otherwise: warning, no change).
    void setShutdownTimeout(int ms);
    //! Sets shutdownTimeout() (0 to INT_MAX ms; otherwise: warning, no change).
    void setShutdownTimeout(std::chrono::milliseconds timeout);
    //! Stack size in bytes of this group's add() actor threads, in whole pages; 0 (the
    //! default) is the platform's. Out of range, or while running: warning, no change.
    uint stackSize() const;
    //! Sets stackSize() to bytes, rounded up to whole pages.
    void setStackSize(uint bytes);
    //! When true, once a signal-handler actor of this group has exited and until the group
    //! finishes, one of its signals ends the process at once (_exit(128 + n)). Default false.
    bool secondSignalExits() const;
    //! Sets secondSignalExits(); applies from the next exit.
    void setSecondSignalExits(bool exits);
    //! When true and shutdownTimeout() is set, a watchdog thread ends the process with _exit()
    //! and the Kind::Timeout exit code (124 by default) if the group's thread is still blocked
    //! one second after the timeout was due. Default false; for services (docs/service.md).
    bool shutdownTimeoutExits() const;
    //! Sets shutdownTimeoutExits(); applies from the next shutdown.
    void setShutdownTimeoutExits(bool exits);
    //! Milliseconds between the end of a run in which every actor was ready and the first
    //! interrupt (0, the default: none). Meanwhile state() is Interrupting, so a readiness
    //! probe (HealthEndpoint's /readyz) fails and a load balancer stops sending traffic
    //! while the actors still serve; exits are reported as usual, and the drain ends early
    //! when every actor has exited. The shutdown timeout counts from its end. ~RunGroup does
    //! not drain. docs/ordering.md.
    int drainDelay() const;
    //! Sets drainDelay() (0 to INT_MAX; otherwise: warning, no change); applies from the
    //! next shutdown.
    void setDrainDelay(int ms);
    //! Sets drainDelay() (0 to INT_MAX ms; otherwise: warning, no change).
    void setDrainDelay(std::chrono::milliseconds delay);

    //! Starts the group and blocks until it has finished (QCoreApplication::exit() does not
    //! end the wait), processing the thread's events. Returns the first error. While running:
    //! warning, returns error(). Without a QCoreApplication: warning, Kind::Failure.
    RunError run();

    // Application binding and exit codes (docs/service.md).

    //! Maps the error a run is judged by to a process exit code; see setExitCodeMapper().
    using ExitCodeMapper = std::function<int(const RunError &error)>;
    //! Ties the group to the QCoreApplication: when the group finishes, the application exits
    //! with exitCode(); when the application quits while the group runs, the group is stopped
    //! and waited for. One group per application. Returns whether this group is bound.
    bool bindToApplication();
    //! Returns true if bindToApplication() bound this group and the application exists.
    bool isBoundToApplication() const;
    //! Returns the exit code of the last finished run: the mapper applied to error(), or to
    //! the first Kind::Timeout error when the shutdown timed out. 0 unless Finished.
    int exitCode() const;
    //! Sets the function exitCode() applies; an empty one restores defaultExitCode().
    void setExitCodeMapper(ExitCodeMapper mapper);
    //! The default mapping: the error's own exitCode() if set; 0 for no error, Kind::Canceled,
    //! SIGINT, SIGTERM and SIGHUP (Windows: SIGBREAK); 128 + n for another signal; 1 for
    //! Kind::Failure and Kind::Exception; 124 for Kind::Timeout. Thread-safe.
    static int defaultExitCode(const RunError &error);

    //! \name Process-wide settings, kept here under their 1.0 names
    //! Forwarders: ActorThreads::idleLimit(), ActorThreads::setIdleLimit(),
    //! ActorThreads::idleExpiry(), ActorThreads::setIdleExpiry(), ActorThreads::idleCount(),
    //! RunTrace::file() and RunTrace::setFile(). Thread-safe.
    //@{
    static int idleThreadLimit();
    static void setIdleThreadLimit(int count);
    static int idleThreadExpiry();
    static void setIdleThreadExpiry(int ms);
    static int idleThreadCount();
    static QString traceFile();
    static void setTraceFile(const QString &fileName);
    //@}

public Q_SLOTS:
    //! Runs every actor concurrently and returns at once, state() already Running. While
    //! running, or without a QCoreApplication: warning, no effect.
    void start();
    //! Begins the shutdown as if an actor had exited with reason, unless one already did.
    //! No effect when idle or finished.
    Q_INVOKABLE void stop(const RunError &reason = RunError::canceled());
    //! Calls every reload handler of the actors that run, each on its thread, then emits
    //! reloaded(). A request during a round makes one more round after it. Ignored, with a
    //! debug line, unless Running.
    void reload();

Q_SIGNALS:
    //! Emitted once per run, inside start(), before any actorExited() or finished().
    void started();
    //! Emitted once per actor per run when actor index starts: within start(), after
    //! started(), or later, once its dependencies are ready.
    void actorStarted(int index);
    //! Emitted once per actor per run when actor index is ready (see requireReady()).
    void actorReady(int index);
    //! Emitted once per actor per run when the group sends actor index its interrupt (queued
    //! to its context's thread): at the first exit or stop(), after drainDelay(), and with
    //! dependencies once its dependents have exited. An actor that exited already is still
    //! interrupted, after its actorExited().
    void actorInterrupted(int index);
    //! Emitted when actor index exited with error and will start again (its attempt-th
    //! restart in this run) after its backoff; no actorExited() then. It starts with
    //! actorStarted() and actorReady() again.
    void actorRestarting(int index, const RunError &error, int attempt);
    //! Emitted when a reload round begins.
    void reloading();
    //! Emitted when every reload handler of a round has returned (or was dropped with its
    //! context), unless another round follows.
    void reloaded();
    //! Emitted once per actor per run, when actor index exits (or times out, or is
    //! canceled) with error.
    void actorExited(int index, const RunError &error);
    //! Emitted once per run, after the last actorExited(); error is the first exit's error
    //! (or stop()'s reason).
    void finished(const RunError &error);
    //! Emitted when state() changes to state.
    void stateChanged(RunGroup::State state);
    //! Emitted when isRunning() changes to running.
    void runningChanged(bool running);
    //! Emitted when an actor was added, with the new count().
    void countChanged(int count);
    //! Emitted just before finished() when the run's first error differs from the last's.
    void errorChanged(const RunError &error);
    //! Emitted when errors() changes: at start() and at each actor's exit.
    void errorsChanged();
    //! Emitted when shutdownTimeout() changes to ms.
    void shutdownTimeoutChanged(int ms);

protected:
    //! Reimplements QObject::event(): the group's own events (exits reported from other
    //! threads, settled interrupts, the shutdown timer); passes on the others.
    bool event(QEvent *event) override;

private:
    int addImpl(RunGroupDetail::Execute execute, RunGroupDetail::Interrupt interrupt,
                QObject *context, const QString &name);
    int addObjectImpl(QObject *object, const QMetaMethod &exitSignal,
                      RunGroupDetail::Connector connector, RunGroupDetail::Interrupt interrupt,
                      const QString &name);
    int addFutureImpl(const QFuture<void> &future, const QString &name);
    int addWorkerThreadImpl(const QList<QObject *> &objects, RunGroupDetail::Interrupt interrupt,
                            const QString &name, WorkerObjects after);
    void setReloadHandlerImpl(int index, RunGroupDetail::Interrupt handler);

    Q_DECLARE_PRIVATE(RunGroup)
    Q_DISABLE_COPY_MOVE(RunGroup)
    std::unique_ptr<RunGroupPrivate> d_ptr;
};

#include <RunGroup/rungroup_impl.h> // not API: the templates' bodies

#endif // RUNGROUP_RUNGROUP_H
