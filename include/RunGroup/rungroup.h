// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_RUNGROUP_H
#define RUNGROUP_RUNGROUP_H

#include <RunGroup/runerror.h>
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

class QProcess;
class RunGroupPrivate;

// Template helpers behind RunGroup::add and RunGroup::addObject. Not API.
namespace RunGroupDetail {
using Execute = std::function<RunError()>;
using Interrupt = std::function<void(const RunError &)>;

// Reports an addObject() actor's exit to its group. start() builds it into a connection
// whose slot functor Qt may destroy on the object's thread (when the object dies there,
// or when a disconnect lands while that thread emits); the destructor takes the group's
// hand-over lock first, so ThreadSanitizer sees that ordered after start().
class RUNGROUP_EXPORT ExitHandler
{
public:
    ExitHandler() = default;
    explicit ExitHandler(std::function<void(const RunError &)> report);
    ExitHandler(const ExitHandler &) = default;
    ExitHandler(ExitHandler &&) noexcept = default;
    ExitHandler &operator=(const ExitHandler &) = default;
    ExitHandler &operator=(ExitHandler &&) noexcept = default;
    ~ExitHandler();
    void operator()(const RunError &error) const;

private:
    std::function<void(const RunError &)> m_report;
};
using Connector =
    std::function<QMetaObject::Connection(QObject *object, QObject *receiver, ExitHandler)>;

template <typename>
inline constexpr bool dependentFalse = false;

// add(QFuture<T>) is its own overload, not an execute callable.
template <typename>
inline constexpr bool isFuture = false;
template <typename T>
inline constexpr bool isFuture<QFuture<T>> = true;

template <typename F>
bool isNull(const F &f)
{
    if constexpr (std::is_same_v<F, std::nullptr_t>)
        return true;
    else if constexpr (std::is_function_v<F>)
        return false; // a function, never null (and no -Waddress for testing it)
    else if constexpr (std::is_constructible_v<bool, const F &>)
        return !static_cast<bool>(f);
    else
        return false;
}

template <typename T>
struct MemberFunction;
template <typename R, typename C, typename... A>
struct MemberFunction<R (C::*)(A...)>
{
    using Class = C;
    using Args = std::tuple<A...>;
};
template <typename R, typename C, typename... A>
struct MemberFunction<R (C::*)(A...) const> : MemberFunction<R (C::*)(A...)>
{
};

template <typename F>
Execute wrapExecute(F &&f)
{
    using Fn = std::decay_t<F>;
    if constexpr (std::is_same_v<Fn, std::nullptr_t>) {
        return {};
    } else {
        static_assert(std::is_invocable_v<Fn &>,
                      "RunGroup::add: execute must be callable with no arguments");
        using R = std::invoke_result_t<Fn &>;
        static_assert(std::is_void_v<R> || std::is_convertible_v<R, RunError>,
                      "RunGroup::add: execute must return void or RunError");
        if (isNull(f))
            return {};
        // shared_ptr keeps move-only callables usable inside std::function.
        auto fn = std::make_shared<Fn>(std::forward<F>(f));
        if constexpr (std::is_void_v<R>)
            return [fn]() -> RunError {
                std::invoke(*fn);
                return RunError();
            };
        else
            return [fn]() -> RunError { return std::invoke(*fn); };
    }
}

template <typename F>
Interrupt wrapInterrupt(F &&f)
{
    using Fn = std::decay_t<F>;
    if constexpr (std::is_same_v<Fn, std::nullptr_t>) {
        return {};
    } else {
        if (isNull(f))
            return {};
        auto fn = std::make_shared<Fn>(std::forward<F>(f));
        if constexpr (std::is_invocable_v<Fn &, const RunError &>)
            return [fn](const RunError &error) { std::invoke(*fn, error); };
        else if constexpr (std::is_invocable_v<Fn &>)
            return [fn](const RunError &) { std::invoke(*fn); };
        else
            static_assert(dependentFalse<Fn>,
                          "RunGroup: interrupt must be callable with (const RunError &) or ()");
    }
}

// An addObject interrupt may also be a member function of the object's class.
template <typename Object, typename F>
Interrupt wrapObjectInterrupt(Object *object, F &&f)
{
    using Fn = std::decay_t<F>;
    if constexpr (std::is_member_function_pointer_v<Fn>) {
        if (!f)
            return {};
        using C = typename MemberFunction<Fn>::Class;
        static_assert(std::is_base_of_v<C, Object> || std::is_same_v<Object, QObject>,
                      "RunGroup::addObject: interrupt must be a member of the object's class");
        // The group delivers the interrupt with the object as context, so the object
        // is alive whenever this runs.
        return [object, f](const RunError &error) {
            if constexpr (std::is_invocable_v<Fn, C *, const RunError &>)
                std::invoke(f, static_cast<C *>(object), error);
            else
                std::invoke(f, static_cast<C *>(object));
        };
    } else {
        return wrapInterrupt(std::forward<F>(f));
    }
}

// Maps an exit signal's first argument to the actor's error.
template <typename Signal>
Connector makeConnector(Signal exitSignal)
{
    using Traits = MemberFunction<Signal>;
    using Object = typename Traits::Class;
    using Args = typename Traits::Args;
    return [exitSignal](QObject *object, QObject *receiver, ExitHandler onExit) {
        auto *typed = static_cast<Object *>(object);
        if constexpr (std::tuple_size_v<Args> != 0) {
            using First = std::decay_t<std::tuple_element_t<0, Args>>;
            if constexpr (std::is_same_v<First, RunError>)
                return QObject::connect(typed, exitSignal, receiver,
                                        [onExit](const RunError &error) { onExit(error); });
            else if constexpr (std::is_same_v<First, QString>)
                return QObject::connect(
                    typed, exitSignal, receiver, [onExit](const QString &message) {
                        onExit(message.isEmpty() ? RunError() : RunError::failure(message));
                    });
            else
                return QObject::connect(typed, exitSignal, receiver,
                                        [onExit]() { onExit(RunError()); });
        } else {
            return QObject::connect(typed, exitSignal, receiver,
                                    [onExit]() { onExit(RunError()); });
        }
    };
}
} // namespace RunGroupDetail

//! RunGroup runs a group of actors as one unit, like Go's oklog/run.Group.
//!
//! An actor is an execute function and an interrupt function. start() runs every actor
//! concurrently; when the first one exits, every actor (that one included) is
//! interrupted with its error, once, in add order; when all have exited, finished()
//! carries that first error. A RunGroup is used from the thread it lives on (its
//! "group thread"); every signal is emitted on that thread. A member called from another
//! thread prints `"RunGroup::<function>: Must be called from the group's thread"` and has
//! no effect, unless its documentation says it is thread-safe.
//!
//! A group goes from State::Idle to State::Running (start()), State::Interrupting (the
//! first exit, or stop()) and State::Finished (the last exit), and from there to
//! State::Running again. Actors are added while it is idle or finished.
//!
//! `#include <RunGroup/RunGroup>`; CMake: `find_package(RunGroup CONFIG REQUIRED)` and
//! `target_link_libraries(app PRIVATE RunGroup::RunGroup)`. docs/rungroup.md has the
//! long form: one run step by step, threads, destruction, the shutdown timeout.
class RUNGROUP_EXPORT RunGroup : public QObject
{
    Q_OBJECT
    //! The group's state; see state(). Read on the group's thread.
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    //! Whether the group is running; setting it starts or stops the group. See
    //! isRunning() and setRunning().
    Q_PROPERTY(bool running READ isRunning WRITE setRunning NOTIFY runningChanged)
    //! The number of actors; see count().
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    //! The first error of the last finished run; see error().
    Q_PROPERTY(RunError error READ error NOTIFY errorChanged)
    //! Each actor's exit error of the current or last run, by index; see errors().
    Q_PROPERTY(QList<RunError> errors READ errors NOTIFY errorsChanged)
    //! Milliseconds the group waits for actors once they were interrupted (0: forever);
    //! see shutdownTimeout().
    Q_PROPERTY(int shutdownTimeout READ shutdownTimeout WRITE setShutdownTimeout NOTIFY
                   shutdownTimeoutChanged)

public:
    //! The states of a group, as state() reports them. isRunning() is true in Running and
    //! Interrupting.
    enum class State {
        Idle,         //!< A new group, never started. Actors can be added.
        Running,      //!< From start() until the first actor exits or stop() is called.
        Interrupting, //!< Every actor's interrupt is queued; the group waits for the actors
                      //!< still running and for those interrupts to run.
        Finished      //!< Every actor has exited and finished() was emitted. Actors can be
                      //!< added, and start() runs all of them again.
    };
    Q_ENUM(State)

    //! Constructs an idle group with no actors and the given parent. The group lives on
    //! the thread that constructs it, its group thread (QObject::thread()).
    explicit RunGroup(QObject *parent = nullptr);
    //! Destroying a running group stops it (RunError::canceled()) and waits for every
    //! actor, processing the group thread's events meanwhile, as run() does. Destroy it on
    //! the group's thread, in any state.
    ~RunGroup() override;

#ifdef Q_QDOC
    //! Adds a threaded actor: execute (returning RunError or void; a thrown exception
    //! becomes Kind::Exception) runs on a thread of its own whose QThread objectName is
    //! name. interrupt (taking const RunError & or nothing; may be empty) is queued to
    //! context's thread, or the group's thread when context is null, and is dropped if
    //! context is destroyed first. Call on the group's thread while idle or finished.
    //! If start() cannot create the thread, the actor exits with Kind::Failure (`"RunGroup:
    //! Cannot start a thread for actor <index>: <reason>"`) and the threaded actors after it
    //! with Kind::Canceled, unstarted. Returns the actor's index, or -1 with a warning.
    int add(Functor execute, Functor interrupt = {}, QObject *context = nullptr,
            const QString &name = {});
    //! Adds an event-driven actor with no thread of its own: it runs from start() until
    //! object emits exitSignal (first argument RunError: that error; non-empty QString:
    //! RunError::failure(it); otherwise no error), or exits with RunError::canceled() if
    //! object is destroyed. interrupt (a callable or a member function of the object's
    //! class) is queued on object's thread. Call on the group's thread while idle or
    //! finished. Returns the actor's index, or -1 with a warning.
    //! object may live on another thread and be destroyed there at any time, except while
    //! start() runs on the group's thread: start() connects to it, and, as with any
    //! QObject::connect() across threads, the object must outlive that call.
    int addObject(QObject *object, PointerToMemberFunction exitSignal, Functor interrupt = {},
                  const QString &name = {});
    //! Adds an actor that runs until future finishes: with no error, with Kind::Exception
    //! (message what()) when the future holds an exception, or with Kind::Canceled when it
    //! was canceled. Its interrupt cancels the future (a QPromise sees isCanceled()); the
    //! actor still waits for the job to finish. A future already finished when a run starts
    //! ends its actor at once with that outcome. Works with QtConcurrent::run. Call on the
    //! group's thread while idle or finished. Returns the actor's index, or -1 with a
    //! warning.
    template <typename T>
    int add(const QFuture<T> &future, const QString &name = {});
#else
    // The templates behind the declarations above (which Doxygen reads, with Q_QDOC
    // defined): thin wrappers over exported non-template functions.
    template <typename Execute, typename Interrupt = RunGroupDetail::Interrupt,
              typename = std::enable_if_t<!RunGroupDetail::isFuture<std::decay_t<Execute>>>>
    int add(Execute &&execute, Interrupt &&interrupt = {}, QObject *context = nullptr,
            const QString &name = {})
    {
        return addImpl(RunGroupDetail::wrapExecute(std::forward<Execute>(execute)),
                       RunGroupDetail::wrapInterrupt(std::forward<Interrupt>(interrupt)), context,
                       name);
    }

    template <typename Object, typename Signal, typename Interrupt = RunGroupDetail::Interrupt>
    int addObject(Object *object, Signal exitSignal, Interrupt &&interrupt = {},
                  const QString &name = {})
    {
        static_assert(std::is_member_function_pointer_v<Signal>,
                      "RunGroup::addObject: exitSignal must be a pointer to a signal");
        using SignalClass = typename RunGroupDetail::MemberFunction<Signal>::Class;
        static_assert(std::is_base_of_v<QObject, SignalClass>,
                      "RunGroup::addObject: exitSignal must be a signal of a QObject class");
        static_assert(std::is_base_of_v<SignalClass, Object> || std::is_same_v<Object, QObject>,
                      "RunGroup::addObject: exitSignal must belong to the object's class");
        return addObjectImpl(
            object, QMetaMethod::fromSignal(exitSignal), RunGroupDetail::makeConnector(exitSignal),
            RunGroupDetail::wrapObjectInterrupt(object, std::forward<Interrupt>(interrupt)), name);
    }

    template <typename T>
    int add(const QFuture<T> &future, const QString &name = {})
    {
        return addFutureImpl(QFuture<void>(future), name);
    }
#endif

    //! Adds an actor that starts program with arguments at start() and exits when the
    //! process does: exit code 0 is no error; another code or a crash is a Kind::Failure
    //! carrying the code and the tail of the process's standard error (its standard output
    //! is forwarded to ours). A program that cannot start is a Kind::Failure with the OS
    //! error. The interrupt is QProcess::terminate(), then kill() after killTimeoutMs
    //! (0 to INT_MAX; the actor then exits with Kind::Timeout; negative: warning, -1). name
    //! defaults to the program's file name. Call on the group's thread while idle or
    //! finished. Returns the actor's index, or -1 with a warning.
    int addProcess(const QString &program, const QStringList &arguments = {},
                   const QString &name = {}, int killTimeoutMs = 5000);
    //! Adds an actor for a QProcess you configured (program, arguments, environment,
    //! working directory, channels), as the overload above does for a program; the group
    //! starts it with QProcess::start() and reads its standard error (unless merged or
    //! forwarded). process must not be running and must live on the group's thread; if it
    //! is destroyed while running, the actor exits with Kind::Canceled. Call on the group's
    //! thread while idle or finished. Returns the actor's index, or -1 with a warning.
    int addProcess(QProcess *process, const QString &name = {}, int killTimeoutMs = 5000);

    //! Adds a deadline: an actor that exits with Kind::Timeout once duration has passed
    //! since start(), and with no error when interrupted. Any positive duration works, up to
    //! std::chrono::milliseconds::max() (beyond Qt 6.4's int timers, the deadline is waited
    //! for in steps against the steady clock). A zero or negative duration prints a warning
    //! and returns -1. name defaults to "timeout". Call on the group's thread while idle or
    //! finished. Returns the actor's index.
    int addTimeout(std::chrono::milliseconds duration, const QString &name = {});
    //! Adds a deadline of ms milliseconds, as addTimeout(std::chrono::milliseconds(ms), name)
    //! does.
    int addTimeout(int ms, const QString &name = {})
    {
        return addTimeout(std::chrono::milliseconds(ms), name);
    }

    //! Adds child, another group on this group's thread, as an actor: child starts with
    //! this group, its finished(error) ends the actor with that error, and interrupting the
    //! actor stops child (child->stop(error)). Nesting runs a shutdown in stages (see
    //! docs/integration.md). Adding a running group, this group itself, or a group that
    //! (transitively) contains this one prints a warning and returns -1. name defaults to
    //! child's objectName(). Call on the group's thread while idle or finished. Returns the
    //! actor's index.
    int addGroup(RunGroup *child, const QString &name = {});

    //! What a worker thread does with its objects once its event loop has ended; see
    //! addWorkerThread().
    enum class WorkerObjects {
        MoveBack, //!< Move the objects back to the group's thread.
        Delete    //!< Delete the objects on the worker thread.
    };
    Q_ENUM(WorkerObjects)

#ifdef Q_QDOC
    //! Adds a worker event-loop actor: at start() objects (parentless, on the group's
    //! thread) move to a new QThread whose exec() is the actor's execute. interrupt (taking
    //! const RunError & or nothing; may be empty) is queued on that thread as the objects'
    //! chance to clean up, then the loop quits. When the loop has ended the objects are
    //! moved back to the group's thread (WorkerObjects::MoveBack) or deleted on the worker
    //! thread (WorkerObjects::Delete), as after says. An object
    //! ends the actor with an error through exitWorker(), for example from a slot connected
    //! to a signal of its own. If the thread cannot be created, the actor exits with
    //! Kind::Failure (`"RunGroup: Cannot start a thread for worker <name>: <reason>"`); the
    //! objects then never leave the group's thread: interrupt is called there, after which
    //! they are kept or deleted as after says. The thread has the platform's stack size
    //! (setStackSize() is for add() actors). Call on the group's thread while idle or
    //! finished. Returns the actor's index, or -1 with a warning.
    int addWorkerThread(const QList<QObject *> &objects, Functor interrupt = {},
                        const QString &name = {}, WorkerObjects after = WorkerObjects::MoveBack);
#else
    template <typename Interrupt = RunGroupDetail::Interrupt>
    int addWorkerThread(const QList<QObject *> &objects, Interrupt &&interrupt = {},
                        const QString &name = {}, WorkerObjects after = WorkerObjects::MoveBack)
    {
        return addWorkerThreadImpl(
            objects, RunGroupDetail::wrapInterrupt(std::forward<Interrupt>(interrupt)), name,
            after);
    }
#endif
    //! Called on a worker thread of addWorkerThread(), ends its actor with error (the first
    //! call of a run wins) by quitting its event loop. Elsewhere: warning, no effect.
    static void exitWorker(const RunError &error = {});

    //! Adds an actor that exits with RunError::fromSignal(n) when the process receives
    //! one of signalNumbers, and with no error when interrupted. Its handlers are
    //! installed in start() and the previous ones restored when it exits. The C handler
    //! only writes to a pipe. Several groups may listen to the same signal. A number that
    //! cannot be handled prints `"RunGroup::addSignalHandler: Cannot handle signal <n>"` and
    //! returns -1: below 1 or above SIGRTMAX (64 on Linux); SIGKILL and SIGSTOP, which cannot
    //! be caught; SIGSEGV, SIGBUS, SIGFPE and SIGILL, which report faults (a handler that
    //! returns runs the faulting instruction again, forever); and the real-time signals the
    //! C library keeps for itself (glibc: 32 to SIGRTMIN - 1, usually 32 and 33). If
    //! installing a handler still fails at start(), the actor exits at once with
    //! Kind::Failure (`"RunGroup: Cannot install the handler of signal <n>: <reason>"`) and
    //! the handlers it had installed are removed again. Call on the group's thread while
    //! idle or finished. Returns the actor's index.
    int addSignalHandler(const QList<int> &signalNumbers = {SIGINT, SIGTERM});

    //! Returns the group's state. Call on the group's thread; stateChanged() reports each
    //! change.
    State state() const;
    //! Returns true while the group is Running or Interrupting; otherwise returns false.
    bool isRunning() const;
    //! Setting true is start(); setting false is stop() with RunError::canceled(). Nothing
    //! happens when the group is already in that state. Call on the group's thread.
    void setRunning(bool running);
    //! Returns the number of actors.
    int count() const;
    //! Returns the name given to actor index, or an empty string.
    QString actorName(int index) const;
    //! Returns the first error of the last finished run.
    RunError error() const;
    //! Returns each actor's exit error of the current or last run, by index.
    QList<RunError> errors() const;

    //! Milliseconds the group waits for actors after their interrupts were delivered;
    //! 0 (the default) waits forever. Actors still running then exit with Kind::Timeout
    //! and are left to end on their own thread, never terminated. A negative timeout, or
    //! one above INT_MAX ms (about 24.8 days), prints a warning and changes nothing.
    //! The timeout is measured by a timer on the group's thread: while an interrupt or a
    //! slot blocks that thread, the timeout cannot fire either (see shutdownTimeoutExits()).
    //! Call on the group's thread, in any state; the timeout is read when a shutdown
    //! begins, so a change applies from the next one.
    int shutdownTimeout() const;
    //! Sets shutdownTimeout() to ms and emits shutdownTimeoutChanged() if it changed. Call
    //! on the group's thread; a negative ms prints a warning and changes nothing.
    void setShutdownTimeout(int ms);
    //! Sets shutdownTimeout() to timeout, as setShutdownTimeout(int) does. A timeout above
    //! INT_MAX ms prints a warning and changes nothing.
    void setShutdownTimeout(std::chrono::milliseconds timeout);

    //! Stack size in bytes of the threads that run this group's add() actors, rounded up to
    //! whole pages; 0 (the default) is the platform's (8 MiB of address space on Linux, of
    //! which only touched pages cost memory). A small stack lets tens of thousands of actors
    //! fit in the address space. Below the platform minimum, above the largest whole number
    //! of pages a uint holds (4294963200 with 4 KiB pages), or while running: warning,
    //! ignored. A stack the system cannot allocate fails the thread's creation (see add()).
    //! Call on the group's thread.
    uint stackSize() const;
    //! Sets stackSize() to bytes, rounded up to whole pages; 0 is the platform's. Call on
    //! the group's thread while the group is idle or finished; a size out of range prints a
    //! warning and is ignored.
    void setStackSize(uint bytes);

    //! Actor threads are reused: after its execute returns, a thread parks, and the next
    //! actor of any group runs on it instead of on a new thread. At most idleThreadLimit()
    //! threads stay parked (default 1024), each for at most idleThreadExpiry() ms (default
    //! 30000). Both take any int from 0 up; a negative one prints a warning and is ignored.
    //! Lowering the limit ends surplus parked threads. Thread-safe.
    static int idleThreadLimit();
    //! Sets idleThreadLimit() to count (0 or more; negative: warning, ignored); surplus
    //! parked threads end at once. Thread-safe.
    static void setIdleThreadLimit(int count);
    //! Returns how many milliseconds a parked actor thread waits for another actor before
    //! it ends (default 30000); see idleThreadLimit(). Thread-safe.
    static int idleThreadExpiry();
    //! Sets idleThreadExpiry() to ms (0 or more; negative: warning, ignored). Thread-safe.
    static void setIdleThreadExpiry(int ms);
    //! Returns the number of parked actor threads now. Thread-safe.
    static int idleThreadCount();

    //! When true, from the moment a signal-handler actor of this group exits (the first
    //! signal, or the interrupt) until the group finishes, one of its signals ends the
    //! process at once: the C handler writes a line to stderr and calls _exit(128 + n), so
    //! it works even when the event loop is stuck. Default false: the previous
    //! dispositions are back by then. Call on the group's thread; applies from the next exit.
    bool secondSignalExits() const;
    //! Sets secondSignalExits() to exits. Call on the group's thread; applies from the next
    //! exit.
    void setSecondSignalExits(bool exits);

    //! When true (default false) and shutdownTimeout() is set, a watchdog thread guards each
    //! shutdown: if the group's thread has not handled the timeout one second after it was
    //! due (because an interrupt or a slot blocks that thread), the watchdog writes a line
    //! to stderr and ends the process with _exit() and the exit code a Kind::Timeout error
    //! maps to (124 by default; see setExitCodeMapper()): no destructor runs. For services,
    //! whose supervisor should see a stuck shutdown end, not hang. Call on the group's
    //! thread; applies from the next shutdown.
    bool shutdownTimeoutExits() const;
    //! Sets shutdownTimeoutExits() to exits. Call on the group's thread; applies from the
    //! next shutdown.
    void setShutdownTimeoutExits(bool exits);

    //! The file every run of every group is traced to, as Chrome trace-event JSON (one
    //! process per group, one lane per actor: running, interrupting, exited), written event
    //! by event as the runs go, so that a killed process leaves its trace (the format's
    //! JSON array, left unterminated); empty (the default, unless RUNGROUP_TRACE names a
    //! file) is off. Takes effect for runs that start afterwards. Thread-safe.
    static QString traceFile();
    //! Sets traceFile() to fileName; an empty one turns tracing off. Takes effect for runs
    //! that start afterwards. Thread-safe.
    static void setTraceFile(const QString &fileName);

    //! Starts the group and blocks until it finishes, processing the calling thread's
    //! events meanwhile. Returns the first error. It returns only once the group has
    //! finished: QCoreApplication::exit() meanwhile does not end the wait. Call on the
    //! group's thread while idle or finished; while running: warning, returns error().
    //! Without a QCoreApplication: warning, returns a Kind::Failure error, nothing runs.
    RunError run();

    // Application binding and exit codes (src/application.cpp, docs/service.md).

    //! Maps the error a run is judged by to a process exit code (0 to 255); see
    //! setExitCodeMapper().
    using ExitCodeMapper = std::function<int(const RunError &error)>;

    //! Ties the group to QCoreApplication::instance(), so that they live and die together.
    //! When the group finishes, the application exits with exitCode(): a queued
    //! QCoreApplication::exit() (start() the group, then run exec()). When the application
    //! is about to quit (quit(), last window closed) while the group runs, the group is
    //! stopped with RunError::canceled("RunGroup: The application is quitting") and waited
    //! for, honouring shutdownTimeout(), before exec() returns. It does not start the group.
    //! One group per application: binding a second one prints `"RunGroup::bindToApplication:
    //! Another group is already bound to the application"` and returns false; binding the
    //! same group again returns true. Without a QCoreApplication, or when the group does not
    //! live on the application's thread, prints a warning and returns false. The binding
    //! ends when the group or the application is destroyed. Call on the group's thread.
    //! Returns true if the group is bound to the application; otherwise returns false.
    bool bindToApplication();
    //! Returns true if bindToApplication() bound this group and the application still
    //! exists; otherwise returns false.
    bool isBoundToApplication() const;

    //! Returns the process exit code for the last finished run: the exit code mapper
    //! (defaultExitCode() unless setExitCodeMapper() set one) applied to error(), or, when
    //! the shutdown timed out (errors() holds a Kind::Timeout error), to the first such
    //! error: a process that exits with an actor still running did not stop cleanly, whatever
    //! began the shutdown. A mapper may read error() and errors() itself. Call on the group's
    //! thread once the group is Finished (from finished() or after run()); in any other
    //! state, returns 0.
    int exitCode() const;
    //! Sets the function exitCode() applies; an empty one restores defaultExitCode(). It is
    //! called on the group's thread; results outside 0 to 255 are passed on as they are.
    //! Call on the group's thread.
    void setExitCodeMapper(ExitCodeMapper mapper);
    //! The default mapping: error.exitCode() when the error carries one (sysexits-style
    //! codes, RunError::withExitCode()); otherwise 0 for no error, for Kind::Canceled
    //! (stop() from code) and for SIGINT, SIGTERM and SIGHUP (a stop asked for from
    //! outside); 128 + n for any other signal n from 1 to 127 (1 for a signal number outside
    //! that range, which fits no exit code); 1 for Kind::Failure and Kind::Exception; 124 for
    //! Kind::Timeout (as timeout(1)). Thread-safe.
    static int defaultExitCode(const RunError &error);

public Q_SLOTS:
    //! Runs every actor concurrently and returns at once, state() already Running.
    //! Call on the group's thread. While running, or with no QCoreApplication (Qt delivers
    //! no event without one): warning, no effect.
    void start();
    //! Begins shutdown as if an actor had exited with reason, unless one already did.
    //! Call on the group's thread. No effect when idle or finished.
    Q_INVOKABLE void stop(const RunError &reason = RunError::canceled());

Q_SIGNALS:
    // Each signal is emitted on the group's thread.

    //! This signal is emitted on the group's thread once per run, inside start(), before
    //! any actorExited() or finished() of that run.
    void started();
    //! This signal is emitted on the group's thread once per actor per run, when actor
    //! index exits (or times out, or is canceled) with error.
    void actorExited(int index, const RunError &error);
    //! This signal is emitted on the group's thread once per run, after the last
    //! actorExited(); error is the first exit's error (or stop()'s reason).
    void finished(const RunError &error);
    //! This signal is emitted on the group's thread when state() changes to state.
    void stateChanged(RunGroup::State state);
    //! This signal is emitted on the group's thread when isRunning() changes to running.
    void runningChanged(bool running);
    //! This signal is emitted on the group's thread when an actor was added, with the new
    //! count().
    void countChanged(int count);
    //! This signal is emitted on the group's thread when a run finishes with a first error
    //! that differs from the previous run's, just before finished().
    void errorChanged(const RunError &error);
    //! This signal is emitted on the group's thread when errors() changes: at start() and
    //! at each actor's exit.
    void errorsChanged();
    //! This signal is emitted on the group's thread when shutdownTimeout() changes to ms.
    void shutdownTimeoutChanged(int ms);

protected:
    //! Reimplements QObject::event(): handles the group's own events (the wake-up that
    //! reports actor exits from other threads, the shutdown timeout's timer) and passes the
    //! others on to QObject. Called by Qt on the group's thread.
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

    Q_DECLARE_PRIVATE(RunGroup)
    Q_DISABLE_COPY_MOVE(RunGroup)
    std::unique_ptr<RunGroupPrivate> d_ptr;
};

#endif // RUNGROUP_RUNGROUP_H
