// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// A test-side observer that attaches to a RunGroup and checks, on every run, the
// invariants of the contract (docs/rungroup.md, "One run, step by step"):
// - signals: every one on the group's thread; state transitions Idle/Finished → Running →
//   Interrupting → Finished only, stateChanged() carrying state(), runningChanged() and
//   errorChanged() only on a real change; started() once per run, first;
// - exits: one actorExited(i, e) per actor per run, in Interrupting, with errors()[i] == e;
// - finished(E): once, last, in Finished, E == error(), errors() complete and equal to what
//   actorExited() reported, E the first exit's error or the reason of the stop() that came
//   first; every execute has returned (unless its actor timed out);
// - interrupts: at most once per actor per run, exactly once unless their context died,
//   with E, on their context's thread, in add order on each thread, only while
//   Interrupting (a timed-out run's may come late);
// - executes: never on the group's thread, on a QThread named after the actor, whose
//   interruption flag is clear unless this run is Interrupting.
// - ordering (docs/ordering.md), for actors configured through requireReady() and
//   setDependencies() below: actorStarted() and actorReady() at most once per actor per
//   run, actorReady() not before actorStarted() nor, when it requires readiness, before
//   markReady(); an actor started only once each dependency had its actorReady(), and its
//   execute not begun before the actorReady() of each dependency that requires readiness;
//   an actor that never started exits with Kind::Canceled, its execute never run; no
//   interrupt called while an actor that (transitively) depends on it has not exited,
//   unless the run timed out; a startup timeout's error only with a startup timeout set
//   and not every actor ready.
// - exit policies (docs/restarts.md), for actors configured through setExitPolicy() below:
//   actorRestarting() only while Running, for an exit the policy restarts, with attempts
//   1, 2, ... up to the limit, never after the actor's actorExited(); the restarted actor
//   starts (and is ready) again, its execute runs once per incarnation; a retired actor's
//   actorExited() comes while Running with no error; a run whose actors all retired
//   finishes with no error.
//
// Actors are added through the wrappers execute() and interrupt(), and the group is
// stopped and destroyed through stop() and destroyGroup(), so the checker knows what the
// first error must be. Ordered actors are configured through requireReady(),
// setDependencies() and setStartupTimeout(), and marked ready through markReady() (on the
// group's thread) or readyMarker() (from any thread). Violations are collected as text
// (thread-safe), never thrown.

#pragma once

#include <RunGroup/RunGroup>

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QThread>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

class InvariantChecker
{
public:
    using State = RunGroup::State;

    explicit InvariantChecker(RunGroup *group)
        : m_group(group), m_groupThread(group->thread()), m_state(std::make_shared<Shared>()),
          m_context(std::make_unique<QObject>())
    {
        m_stateSeen = group->state();
        m_state->phase = int(group->state());
        m_lastError = group->error();
        m_lastRunning = group->isRunning();
        m_state->markGroup = group;
        connectAll();
    }
    // Disconnects (the connections' context is destroyed with the checker).
    ~InvariantChecker() = default;
    InvariantChecker(const InvariantChecker &) = delete;
    InvariantChecker &operator=(const InvariantChecker &) = delete;

    // Wraps the execute of the actor that add() will give index: records that it ran on a
    // proper thread and when it returned. f returns RunError or void, and may throw.
    template <typename F>
    auto execute(int index, const QString &name, F f)
    {
        registerActor(index, Kind::Thread, {}, false);
        auto shared = m_state;
        const QThread *groupThread = m_groupThread;
        return [shared, index, name, groupThread, f = std::move(f)]() mutable -> RunError {
            QThread *self = QThread::currentThread();
            const bool flagged = self->isInterruptionRequested();
            const int phase = shared->phase.load();
            {
                std::lock_guard<std::mutex> lock(shared->mutex);
                ++shared->actors[size_t(index)].running;
                ++shared->actors[size_t(index)].begun;
                if (self == groupThread)
                    shared->violationLocked(
                        QStringLiteral("execute %1 ran on the group's thread").arg(index));
                if (self->objectName() != name)
                    shared->violationLocked(
                        QStringLiteral("execute %1 ran on a QThread named '%2', not '%3'")
                            .arg(index)
                            .arg(self->objectName(), name));
                if (flagged && phase != int(State::Interrupting) && !shared->anyTimedOut)
                    shared->violationLocked(
                        QStringLiteral("execute %1 began with the interruption flag set while "
                                       "the run was not interrupting (state %2)")
                            .arg(index)
                            .arg(phase));
                // A dependency that requires readiness is ready (and announced) before its
                // dependents launch. A timed-out run's actor may begin in a later run.
                // (Once in the run: a dependency may have restarted since its dependent
                // launched.)
                for (int dependency : shared->actors[size_t(index)].dependencies) {
                    const ActorRecord &record = shared->actors[size_t(dependency)];
                    if (record.requiresReady && record.readyTimes == 0 && !shared->anyTimedOut)
                        shared->violationLocked(
                            QStringLiteral("execute %1 began before actorReady(%2) of its "
                                           "dependency")
                                .arg(index)
                                .arg(dependency));
                }
            }
            struct Done
            {
                Shared *shared;
                int index;
                ~Done()
                {
                    std::lock_guard<std::mutex> lock(shared->mutex);
                    --shared->actors[size_t(index)].running;
                }
            } done{shared.get(), index};
            if constexpr (std::is_void_v<decltype(f())>) {
                f();
                return RunError();
            } else {
                return f();
            }
        };
    }

    // Wraps the interrupt of actor index, delivered to context's thread (the group's when
    // context is null). f takes const RunError & and may throw.
    template <typename F>
    auto interrupt(int index, QObject *context, F f)
    {
        registerActor(index, Kind::Thread, context, true);
        return wrapInterrupt(index, context, std::move(f));
    }

    // Registers an addObject() actor whose interrupt (if any) goes through objectInterrupt().
    template <typename F>
    auto objectInterrupt(int index, QObject *object, F f)
    {
        registerActor(index, Kind::Object, object, true);
        return wrapInterrupt(index, object, std::move(f));
    }
    void objectActor(int index, QObject *object)
    {
        registerActor(index, Kind::Object, object, false);
    }
    void signalActor(int index) { registerActor(index, Kind::Signal, {}, false); }

    // A thread actor added without an interrupt (it polls its QThread).
    void noInterrupt(int index) { registerActor(index, Kind::Thread, {}, false); }

    // Ordering configuration, recorded for the checks (the group must be idle or finished).
    void requireReady(int index)
    {
        m_group->requireReady(index);
        std::lock_guard<std::mutex> lock(m_state->mutex);
        recordLocked(index).requiresReady = true;
    }
    // Returns what the group's setDependencies() returned; records the dependencies if true.
    bool setDependencies(int index, const QList<int> &dependencies)
    {
        if (!m_group->setDependencies(index, dependencies))
            return false;
        std::lock_guard<std::mutex> lock(m_state->mutex);
        QList<int> unique;
        for (int dependency : dependencies) {
            if (!unique.contains(dependency))
                unique.append(dependency);
        }
        recordLocked(index).dependencies = unique;
        return true;
    }
    // Exit policy configuration (the group must be idle or finished): the restarting
    // policies restart at most maxRestarts times per run (the window is an hour), after a
    // backoff of backoffMs.
    void setExitPolicy(int index, RunGroup::ExitPolicy policy, int maxRestarts, int backoffMs)
    {
        m_group->setExitPolicy(index, policy);
        m_group->setRestartLimit(index, maxRestarts, std::chrono::hours(1));
        m_group->setRestartBackoff(index, std::chrono::milliseconds(backoffMs),
                                   std::chrono::milliseconds(backoffMs));
        std::lock_guard<std::mutex> lock(m_state->mutex);
        ActorRecord &actor = recordLocked(index);
        actor.policy = m_group->exitPolicy(index);
        actor.maxRestarts = maxRestarts;
    }
    void setStartupTimeout(int ms)
    {
        m_group->setStartupTimeout(ms);
        m_startupTimeoutMs = ms;
    }
    // Marks actor index ready from the group's thread, when the group would accept it: it is
    // running (or interrupting: ignored there), and the actor started and is not ready yet.
    void markReady(int index)
    {
        RunGroup *g = group();
        if (!g || !m_inRun || m_finishedThisRun || index < 0 || index >= int(m_readySeen.size()))
            return;
        if (g->state() != State::Running && g->state() != State::Interrupting)
            return;
        if (!m_startedSeen[size_t(index)] || g->isReady(index) || m_exits[size_t(index)])
            return; // (a retired actor has exited while the run goes on)
        {
            std::lock_guard<std::mutex> lock(m_state->mutex);
            m_state->actors[size_t(index)].marked = true;
        }
        g->markReady(index);
    }
    // Returns a callable that marks actor index ready from any thread (its execute's, say),
    // as long as the group exists; the group drops a mark of an earlier run.
    std::function<void()> readyMarker(int index)
    {
        auto shared = m_state;
        return [shared, index] {
            std::lock_guard<std::mutex> groupLock(shared->markMutex);
            if (!shared->markGroup)
                return;
            {
                std::lock_guard<std::mutex> lock(shared->mutex);
                shared->actors[size_t(index)].marked = true;
            }
            shared->markGroup->markReady(index);
        };
    }

    // Stops the group, recording whether this stop() begins the shutdown.
    void stop(const RunError &reason)
    {
        if (!m_group || m_destroying)
            return;
        if (m_group->state() == State::Running)
            m_stopReason = std::make_unique<RunError>(reason);
        m_group->stop(reason);
    }
    // Destroys the group (stopping it with RunError::canceled() if it is still Running).
    // Does nothing when the group is gone or being destroyed (an event processed by
    // ~RunGroup may ask again).
    void destroyGroup()
    {
        if (!m_group || m_destroying)
            return;
        m_destroying = true;
        if (m_group->state() == State::Running)
            m_stopReason = std::make_unique<RunError>(RunError::canceled());
        RunGroup *group = m_group;
        {
            // No readyMarker() call may reach the group from now on.
            std::lock_guard<std::mutex> lock(m_state->markMutex);
            m_state->markGroup = nullptr;
        }
        delete group;
    }

    // Returns the group, or null once it is being destroyed.
    RunGroup *group() const { return m_destroying ? nullptr : m_group; }
    // Runs started and finished so far.
    int started() const { return m_started; }
    int finished() const { return m_finished; }
    bool lastRunTimedOut() const { return m_runTimedOut; }
    // Whether the last run ended by its startup timeout.
    bool lastRunStartupTimedOut() const { return m_startupTimedOut; }
    // Actors that never started in a run and exited canceled ("did not start"), all runs.
    int canceledWaiting() const { return m_canceledWaiting; }
    // Executes of any run that have not returned yet.
    int runningExecutes() const
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        int n = 0;
        for (const ActorRecord &actor : m_state->actors)
            n += actor.running;
        return n;
    }
    QStringList violations() const
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        return m_state->violations;
    }
    bool ok() const { return violations().isEmpty(); }
    // Checks what can only be checked once the test is done with the group: the last run
    // finished (unless it never started), late interrupts of a timed-out run came at most
    // once. Call after every execute returned.
    void finalCheck()
    {
        if (m_started != m_finished)
            violation(QStringLiteral("run %1 started but never finished").arg(m_started));
        std::lock_guard<std::mutex> lock(m_state->mutex);
        for (size_t i = 0; i < m_state->actors.size(); ++i) {
            const ActorRecord &actor = m_state->actors[i];
            if (actor.running != 0)
                m_state->violationLocked(
                    QStringLiteral("execute %1 still running at the end").arg(i));
        }
    }

private:
    enum class Kind { Thread, Object, Signal };

    struct InterruptCall
    {
        int index;
        RunError error;
        const QThread *thread;
        const QThread *expectedThread;
        int phase;
        quint64 sequence;
    };

    struct ActorRecord
    {
        Kind kind = Kind::Thread;
        bool registered = false;
        bool hasInterrupt = false;
        QPointer<QObject> context; // interrupt context (object actors: the object)
        bool hasContext = false;
        int running = 0;        // executes begun and not returned, any run
        int begun = 0;          // executes begun this run
        int lateInterrupts = 0; // interrupts a timed-out run may still deliver
        // Exit policy, and this run's restarts.
        RunGroup::ExitPolicy policy = RunGroup::ExitPolicy::EndRun;
        int maxRestarts = 0;
        int restarts = 0;
        int readyTimes = 0; // actorReady() this run, over every incarnation
        // Ordering: configuration, and this run's signals and marks.
        QList<int> dependencies;
        bool requiresReady = false;
        bool readySeen = false;   // actorReady() this run
        bool marked = false;      // markReady() called this run (or late, by an earlier one)
        quint64 exitSequence = 0; // sequence of its actorExited() this run, 0 before
    };

    // What actor threads and context threads touch. Guarded by mutex, phase is atomic.
    struct Shared
    {
        std::mutex mutex;
        std::atomic<int> phase{0};
        std::vector<ActorRecord> actors;
        std::vector<InterruptCall> calls; // this run's
        quint64 sequence = 0;
        bool anyTimedOut = false;
        QStringList violations;
        int run = 0;
        // The group readyMarker() calls reach, null once it is being destroyed.
        std::mutex markMutex;
        RunGroup *markGroup = nullptr;

        void violationLocked(const QString &text)
        {
            if (violations.size() < 50)
                violations.append(QStringLiteral("run %1: %2").arg(run).arg(text));
        }
    };

    template <typename F>
    auto wrapInterrupt(int index, QObject *context, F f)
    {
        auto shared = m_state;
        const QThread *groupThread = m_groupThread;
        QPointer<QObject> guard(context);
        const bool hasContext = context != nullptr;
        return [shared, index, groupThread, guard, hasContext,
                f = std::move(f)](const RunError &error) mutable {
            {
                std::lock_guard<std::mutex> lock(shared->mutex);
                const QThread *expected = groupThread;
                if (hasContext)
                    expected = guard ? guard->thread() : nullptr;
                shared->calls.push_back({index, error, QThread::currentThread(), expected,
                                         shared->phase.load(), ++shared->sequence});
            }
            f(error);
        };
    }

    ActorRecord &recordLocked(int index)
    {
        if (m_state->actors.size() <= size_t(index))
            m_state->actors.resize(size_t(index) + 1);
        return m_state->actors[size_t(index)];
    }

    void registerActor(int index, Kind kind, QObject *context, bool hasInterrupt)
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        ActorRecord &actor = recordLocked(index);
        if (!actor.registered || kind != Kind::Thread)
            actor.kind = kind;
        actor.registered = true;
        if (hasInterrupt) {
            actor.hasInterrupt = true;
            actor.context = context;
            actor.hasContext = context != nullptr;
        } else if (kind == Kind::Object) {
            actor.context = context;
            actor.hasContext = true;
        }
    }

    void violation(const QString &text)
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->violationLocked(text);
    }

    void checkThread(const char *signal)
    {
        if (QThread::currentThread() != m_groupThread)
            violation(QStringLiteral("%1 emitted on another thread").arg(QLatin1String(signal)));
    }

    void connectAll()
    {
        RunGroup *g = m_group;
        QObject *c = m_context.get();
        // Direct connections: a slot runs where the signal is emitted, so a signal from the
        // wrong thread shows.
        const auto direct = Qt::DirectConnection;
        m_connections = {
            QObject::connect(
                g, &RunGroup::started, c, [this] { onStarted(); }, direct),
            QObject::connect(
                g, &RunGroup::stateChanged, c, [this](State s) { onStateChanged(s); }, direct),
            QObject::connect(
                g, &RunGroup::runningChanged, c, [this](bool r) { onRunningChanged(r); }, direct),
            QObject::connect(
                g, &RunGroup::actorStarted, c, [this](int i) { onActorStarted(i); }, direct),
            QObject::connect(
                g, &RunGroup::actorReady, c, [this](int i) { onActorReady(i); }, direct),
            QObject::connect(
                g, &RunGroup::actorExited, c,
                [this](int i, const RunError &e) { onActorExited(i, e); }, direct),
            QObject::connect(
                g, &RunGroup::actorRestarting, c,
                [this](int i, const RunError &e, int attempt) { onActorRestarting(i, e, attempt); },
                direct),
            QObject::connect(
                g, &RunGroup::finished, c, [this](const RunError &e) { onFinished(e); }, direct),
            QObject::connect(
                g, &RunGroup::errorChanged, c, [this](const RunError &e) { onErrorChanged(e); },
                direct),
            QObject::connect(
                g, &RunGroup::errorsChanged, c, [this] { onErrorsChanged(); }, direct),
            QObject::connect(
                g, &RunGroup::countChanged, c, [this](int n) { onCountChanged(n); }, direct),
            QObject::connect(
                g, &QObject::destroyed, c, [this] { onDestroyed(); }, direct),
        };
    }
    void onStarted()
    {
        checkThread("started");
        if (m_inRun)
            violation(QStringLiteral("started() twice in one run"));
        if (m_group->state() != State::Running)
            violation(QStringLiteral("started() while the state is %1").arg(int(m_group->state())));
        if (m_stateSeen != State::Running)
            violation(QStringLiteral("started() before stateChanged(Running)"));
        const QList<RunError> errors = m_group->errors();
        if (errors.size() != m_group->count())
            violation(QStringLiteral("errors() has %1 entries at started(), count() is %2")
                          .arg(errors.size())
                          .arg(m_group->count()));
        for (const RunError &e : errors) {
            if (e.isError())
                violation(QStringLiteral("errors() not reset at started(): %1").arg(e.toString()));
        }
        ++m_started;
        m_inRun = true;
        m_finishedThisRun = false;
        m_previousRunTimedOut = m_runTimedOut;
        m_runTimedOut = false;
        m_startupTimedOut = false;
        m_readyAtInterrupting = -1;
        m_startedSeen.assign(size_t(m_group->count()), 0);
        m_startedEver.assign(size_t(m_group->count()), 0);
        m_readySeen.assign(size_t(m_group->count()), 0);
        m_stopReason.reset();
        m_firstExit.reset();
        m_exits.assign(size_t(m_group->count()), std::optional<RunError>());
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->run = m_started;
        // Interrupts a timed-out run did not deliver may still come, once each.
        for (ActorRecord &actor : m_state->actors) {
            actor.begun = 0;
            actor.readySeen = false;
            actor.readyTimes = 0;
            actor.restarts = 0;
            actor.exitSequence = 0;
        }
        computeDependentsLocked();
        carryLateInterruptsLocked();
        m_state->calls.clear();
    }

    void onStateChanged(State s)
    {
        checkThread("stateChanged");
        if (s != m_group->state())
            violation(QStringLiteral("stateChanged(%1) while state() is %2")
                          .arg(int(s))
                          .arg(int(m_group->state())));
        const State from = m_stateSeen;
        const bool valid = (s == State::Running && (from == State::Idle || from == State::Finished))
                           || (s == State::Interrupting && from == State::Running)
                           || (s == State::Finished && from == State::Interrupting);
        if (!valid)
            violation(QStringLiteral("state went %1 -> %2").arg(int(from)).arg(int(s)));
        m_stateSeen = s;
        m_state->phase.store(int(s));
        if (s == State::Interrupting && m_readyAtInterrupting < 0)
            m_readyAtInterrupting = int(std::count(m_readySeen.begin(), m_readySeen.end(), 1));
    }

    void onRunningChanged(bool running)
    {
        checkThread("runningChanged");
        if (running == m_lastRunning)
            violation(QStringLiteral("runningChanged(%1) without a change").arg(running));
        if (running != m_group->isRunning())
            violation(QStringLiteral("runningChanged(%1) while isRunning() is %2")
                          .arg(running)
                          .arg(m_group->isRunning()));
        m_lastRunning = running;
    }

    void onActorExited(int index, const RunError &error)
    {
        checkThread("actorExited");
        if (!m_inRun || m_finishedThisRun) {
            violation(QStringLiteral("actorExited(%1) outside a run (after finished?)").arg(index));
            return;
        }
        if (index < 0 || index >= int(m_exits.size())) {
            violation(QStringLiteral("actorExited(%1): no such actor").arg(index));
            return;
        }
        if (m_exits[size_t(index)])
            violation(QStringLiteral("actorExited(%1) twice").arg(index));
        m_exits[size_t(index)] = error;
        // While Running: the actor retired (a clean exit its policy does not restart).
        const bool retired = m_group->state() == State::Running;
        if (retired) {
            std::lock_guard<std::mutex> lock(m_state->mutex);
            const RunGroup::ExitPolicy policy = size_t(index) < m_state->actors.size()
                                                    ? m_state->actors[size_t(index)].policy
                                                    : RunGroup::ExitPolicy::EndRun;
            if (error.isError() || policy == RunGroup::ExitPolicy::EndRun
                || policy == RunGroup::ExitPolicy::Restart)
                m_state->violationLocked(
                    QStringLiteral("actorExited(%1, %2) while Running, with policy %3")
                        .arg(index)
                        .arg(error.toString())
                        .arg(int(policy)));
        } else if (m_group->state() != State::Interrupting) {
            violation(QStringLiteral("actorExited(%1) while the state is %2")
                          .arg(index)
                          .arg(int(m_group->state())));
        }
        const QList<RunError> errors = m_group->errors();
        if (index < errors.size() && errors.at(index) != error)
            violation(QStringLiteral("actorExited(%1, %2) but errors()[%1] is %3")
                          .arg(index)
                          .arg(error.toString(), errors.at(index).toString()));
        {
            std::lock_guard<std::mutex> lock(m_state->mutex);
            if (size_t(index) < m_state->actors.size())
                m_state->actors[size_t(index)].exitSequence = ++m_state->sequence;
            if (error.kind() == RunError::Kind::Timeout) {
                m_runTimedOut = true;
                m_state->anyTimedOut = true;
            }
        }
        if (!retired && !m_firstExit && !m_stopReason)
            m_firstExit = std::make_unique<RunError>(error);
    }

    void onActorRestarting(int index, const RunError &error, int attempt)
    {
        checkThread("actorRestarting");
        if (!m_inRun || m_finishedThisRun || index < 0 || index >= int(m_exits.size())) {
            violation(
                QStringLiteral("actorRestarting(%1) outside a run or of no such actor").arg(index));
            return;
        }
        if (m_group->state() != State::Running)
            violation(QStringLiteral("actorRestarting(%1) while the state is %2")
                          .arg(index)
                          .arg(int(m_group->state())));
        if (m_exits[size_t(index)])
            violation(QStringLiteral("actorRestarting(%1) after its actorExited()").arg(index));
        const QList<RunError> errors = m_group->errors();
        if (index < errors.size() && errors.at(index) != error)
            violation(QStringLiteral("actorRestarting(%1, %2) but errors()[%1] is %3")
                          .arg(index)
                          .arg(error.toString(), errors.at(index).toString()));
        m_startedSeen[size_t(index)] = 0; // it starts, and is ready, again
        m_readySeen[size_t(index)] = 0;
        std::lock_guard<std::mutex> lock(m_state->mutex);
        if (size_t(index) >= m_state->actors.size())
            return;
        ActorRecord &actor = m_state->actors[size_t(index)];
        const bool restarts =
            actor.policy == RunGroup::ExitPolicy::Restart
            || (actor.policy == RunGroup::ExitPolicy::RestartOnError && error.isError());
        if (!restarts)
            m_state->violationLocked(QStringLiteral("actorRestarting(%1, %2) with policy %3")
                                         .arg(index)
                                         .arg(error.toString())
                                         .arg(int(actor.policy)));
        if (attempt != ++actor.restarts)
            m_state->violationLocked(QStringLiteral("actorRestarting(%1): attempt %2, expected %3")
                                         .arg(index)
                                         .arg(attempt)
                                         .arg(actor.restarts));
        if (attempt > actor.maxRestarts)
            m_state->violationLocked(QStringLiteral("actorRestarting(%1): attempt %2 over the "
                                                    "limit of %3")
                                         .arg(index)
                                         .arg(attempt)
                                         .arg(actor.maxRestarts));
        actor.readySeen = false;
        actor.marked = false;
    }

    void onActorStarted(int index)
    {
        checkThread("actorStarted");
        if (!m_inRun || m_finishedThisRun || index < 0 || index >= int(m_startedSeen.size())) {
            violation(
                QStringLiteral("actorStarted(%1) outside a run or of no such actor").arg(index));
            return;
        }
        if (m_startedSeen[size_t(index)])
            violation(QStringLiteral("actorStarted(%1) twice in one run").arg(index));
        m_startedSeen[size_t(index)] = 1;
        m_startedEver[size_t(index)] = 1;
        if (m_exits[size_t(index)])
            violation(QStringLiteral("actorStarted(%1) after its actorExited()").arg(index));
        std::lock_guard<std::mutex> lock(m_state->mutex);
        if (size_t(index) >= m_state->actors.size())
            return;
        for (int dependency : m_state->actors[size_t(index)].dependencies) {
            if (!m_readySeen[size_t(dependency)])
                m_state->violationLocked(
                    QStringLiteral("actorStarted(%1) before actorReady(%2) of its dependency")
                        .arg(index)
                        .arg(dependency));
        }
    }

    void onActorReady(int index)
    {
        checkThread("actorReady");
        if (!m_inRun || m_finishedThisRun || index < 0 || index >= int(m_readySeen.size())) {
            violation(
                QStringLiteral("actorReady(%1) outside a run or of no such actor").arg(index));
            return;
        }
        if (m_readySeen[size_t(index)])
            violation(QStringLiteral("actorReady(%1) twice in one run").arg(index));
        if (!m_startedSeen[size_t(index)])
            violation(QStringLiteral("actorReady(%1) before actorStarted(%1)").arg(index));
        m_readySeen[size_t(index)] = 1;
        std::lock_guard<std::mutex> lock(m_state->mutex);
        if (size_t(index) >= m_state->actors.size())
            return;
        ActorRecord &actor = m_state->actors[size_t(index)];
        actor.readySeen = true;
        ++actor.readyTimes;
        if (actor.requiresReady && !actor.marked)
            m_state->violationLocked(
                QStringLiteral("actorReady(%1) before markReady(%1), though it requires "
                               "readiness")
                    .arg(index));
    }

    // Every actor that (transitively) depends on each actor, from the recorded
    // configuration, which must be the group's.
    void computeDependentsLocked()
    {
        const int n = m_group->count();
        m_dependents.assign(size_t(n), {});
        // reach[d][i]: actor i depends on actor d, directly or not. Warshall's closure: an
        // oracle written apart from the library's own walk (the groups here are small).
        bool any = false;
        for (int i = 0; i < n && size_t(i) < m_state->actors.size(); ++i)
            any = any || !m_state->actors[size_t(i)].dependencies.isEmpty();
        if (!any)
            return; // nothing depends on anything: the matrix below is n^2 for nothing
        std::vector<std::vector<char>> reach(size_t(n), std::vector<char>(size_t(n), 0));
        for (int i = 0; i < n && size_t(i) < m_state->actors.size(); ++i) {
            const QList<int> &dependencies = m_state->actors[size_t(i)].dependencies;
            if (m_group->dependencies(i) != dependencies)
                m_state->violationLocked(
                    QStringLiteral("dependencies(%1) is not what setDependencies() set").arg(i));
            for (int dependency : dependencies) {
                if (dependency >= 0 && dependency < n)
                    reach[size_t(dependency)][size_t(i)] = 1;
            }
        }
        for (size_t k = 0; k < size_t(n); ++k)
            for (size_t a = 0; a < size_t(n); ++a)
                if (reach[a][k])
                    for (size_t b = 0; b < size_t(n); ++b)
                        reach[a][b] = reach[a][b] || reach[k][b];
        for (size_t a = 0; a < size_t(n); ++a)
            for (size_t b = 0; b < size_t(n); ++b)
                if (reach[a][b] && a != b)
                    m_dependents[a].push_back(int(b));
    }

    void onErrorsChanged()
    {
        checkThread("errorsChanged");
        if (m_group->errors().size() != m_group->count())
            violation(QStringLiteral("errors().size() %1 != count() %2")
                          .arg(m_group->errors().size())
                          .arg(m_group->count()));
    }

    void onErrorChanged(const RunError &error)
    {
        checkThread("errorChanged");
        if (error == m_lastError)
            violation(QStringLiteral("errorChanged(%1) without a change").arg(error.toString()));
        if (error != m_group->error())
            violation(QStringLiteral("errorChanged(%1) while error() is %2")
                          .arg(error.toString(), m_group->error().toString()));
        m_lastError = error;
    }

    void onCountChanged(int n)
    {
        checkThread("countChanged");
        if (m_inRun && !m_finishedThisRun)
            violation(QStringLiteral("countChanged(%1) during a run").arg(n));
        if (n != m_group->count())
            violation(QStringLiteral("countChanged(%1) while count() is %2")
                          .arg(n)
                          .arg(m_group->count()));
    }

    void onFinished(const RunError &error)
    {
        checkThread("finished");
        if (!m_inRun || m_finishedThisRun) {
            violation(QStringLiteral("finished() outside a run, or twice"));
            return;
        }
        m_finishedThisRun = true;
        m_inRun = false;
        ++m_finished;
        if (m_group->state() != State::Finished || m_stateSeen != State::Finished)
            violation(
                QStringLiteral("finished() while the state is %1").arg(int(m_group->state())));
        if (m_group->isRunning() || m_lastRunning)
            violation(QStringLiteral("finished() while isRunning()"));
        if (m_group->error() != error)
            violation(QStringLiteral("finished(%1) but error() is %2")
                          .arg(error.toString(), m_group->error().toString()));
        if (m_lastError != error)
            violation(
                QStringLiteral("finished(%1) without errorChanged() to it").arg(error.toString()));
        const QList<RunError> errors = m_group->errors();
        if (errors.size() != m_group->count())
            violation(QStringLiteral("finished(): errors().size() %1 != count() %2")
                          .arg(errors.size())
                          .arg(m_group->count()));
        for (size_t i = 0; i < m_exits.size(); ++i) {
            if (!m_exits[i]) {
                violation(QStringLiteral("finished() without actorExited(%1)").arg(i));
                continue;
            }
            if (int(i) < errors.size() && errors.at(int(i)) != *m_exits[i])
                violation(QStringLiteral("errors()[%1] is %2, actorExited() said %3")
                              .arg(i)
                              .arg(errors.at(int(i)).toString(), m_exits[i]->toString()));
        }
        // The first error: the stop() that began the shutdown, or else the first exit.
        RunError expected;
        if (m_stopReason)
            expected = *m_stopReason;
        else if (m_firstExit)
            expected = *m_firstExit;
        // Or the startup timeout, which ends the run as a stop() would, before any exit.
        if (!m_stopReason && error.kind() == RunError::Kind::Timeout
            && error.message().startsWith(
                QStringLiteral("RunGroup: Not every actor was ready within"))) {
            m_startupTimedOut = true;
            expected = error;
            if (m_startupTimeoutMs <= 0)
                violation(QStringLiteral("finished(%1) without a startup timeout set")
                              .arg(error.toString()));
            if (m_readyAtInterrupting >= int(m_readySeen.size()))
                violation(QStringLiteral("finished(%1) though every actor was ready")
                              .arg(error.toString()));
        }
        if (error != expected)
            violation(QStringLiteral("finished(%1) but the first error was %2")
                          .arg(error.toString(), expected.toString()));

        std::lock_guard<std::mutex> lock(m_state->mutex);
        std::map<const QThread *, int> lastIndexOnThread;
        std::vector<int> callsOf(m_state->actors.size());
        for (const InterruptCall &call : m_state->calls) {
            if (call.index < 0 || size_t(call.index) >= callsOf.size())
                continue;
            ActorRecord &actor = m_state->actors[size_t(call.index)];
            if (actor.lateInterrupts > 0) {
                --actor.lateInterrupts; // the previous, timed-out run's
                continue;
            }
            ++callsOf[size_t(call.index)];
            // Staged stop: not before every actor that depends on it has exited (a shutdown
            // timeout queues every interrupt left).
            if (!m_runTimedOut && size_t(call.index) < m_dependents.size()) {
                for (int dependent : m_dependents[size_t(call.index)]) {
                    const quint64 exited = m_state->actors[size_t(dependent)].exitSequence;
                    if (exited == 0 || exited > call.sequence)
                        m_state->violationLocked(
                            QStringLiteral("interrupt %1 ran before its dependent %2 exited")
                                .arg(call.index)
                                .arg(dependent));
                }
            }
            if (call.error != error)
                m_state->violationLocked(
                    QStringLiteral("interrupt %1 got %2, the run's error is %3")
                        .arg(call.index)
                        .arg(call.error.toString(), error.toString()));
            if (call.expectedThread && call.thread != call.expectedThread)
                m_state->violationLocked(
                    QStringLiteral("interrupt %1 ran on the wrong thread").arg(call.index));
            // A timed-out run finishes without waiting for its interrupts: one may run
            // after stateChanged(Finished), before finished() reached this checker.
            const bool lateOfTimedOutRun = m_runTimedOut && call.phase == int(State::Finished);
            if (call.phase != int(State::Interrupting) && !lateOfTimedOutRun)
                m_state->violationLocked(QStringLiteral("interrupt %1 ran while the state was %2")
                                             .arg(call.index)
                                             .arg(call.phase));
            // Add order holds among the interrupts due at once, when the shutdown begins:
            // those of actors on which no other depends (every one in a group without
            // dependencies). The others come later, each once its dependents exited.
            if (size_t(call.index) < m_dependents.size()
                && !m_dependents[size_t(call.index)].empty())
                continue;
            auto last = lastIndexOnThread.find(call.thread);
            if (last != lastIndexOnThread.end() && last->second >= call.index)
                m_state->violationLocked(QStringLiteral("interrupt %1 ran after interrupt %2 on "
                                                        "its thread: not in add order")
                                             .arg(call.index)
                                             .arg(last->second));
            lastIndexOnThread[call.thread] = call.index;
        }
        for (size_t i = 0; i < m_state->actors.size() && i < m_exits.size(); ++i) {
            ActorRecord &actor = m_state->actors[i];
            const bool timedOut = m_exits[i] && m_exits[i]->kind() == RunError::Kind::Timeout;
            if (callsOf[i] > 1)
                m_state->violationLocked(
                    QStringLiteral("interrupt %1 ran %2 times").arg(i).arg(callsOf[i]));
            // Without a context the group is the context: destroying it drops the rest.
            const bool contextAlive = actor.hasContext ? !actor.context.isNull() : !m_destroying;
            if (actor.hasInterrupt && contextAlive && callsOf[i] == 0 && !m_runTimedOut)
                m_state->violationLocked(
                    QStringLiteral("interrupt %1 never ran before finished()").arg(i));
            if (actor.hasInterrupt && callsOf[i] == 0 && m_runTimedOut && contextAlive)
                actor.lateInterrupts = 1;
            if (actor.kind == Kind::Thread && !timedOut && actor.running != 0)
                m_state->violationLocked(
                    QStringLiteral("finished() before execute %1 returned").arg(i));
            if (actor.kind == Kind::Thread && actor.begun > 1 + actor.restarts)
                m_state->violationLocked(QStringLiteral("execute %1 ran %2 times in one run, "
                                                        "restarted %3 times")
                                             .arg(i)
                                             .arg(actor.begun)
                                             .arg(actor.restarts));
            // Never started (waiting for its dependencies when the run ended): canceled, its
            // execute never run. A group destroyed while announcing its actors leaves some
            // unannounced; a timed-out run's execute may begin during the next run.
            if (i < m_startedEver.size() && !m_startedEver[i] && m_exits[i]) {
                if (m_exits[i]->kind() != RunError::Kind::Canceled && !m_destroying)
                    m_state->violationLocked(
                        QStringLiteral("actor %1 never started but exited with %2")
                            .arg(i)
                            .arg(m_exits[i]->toString()));
                if (actor.begun > 0 && !m_runTimedOut && !m_previousRunTimedOut && !m_destroying)
                    m_state->violationLocked(
                        QStringLiteral("execute %1 ran though actorStarted(%1) never came").arg(i));
                if (m_exits[i]->message().contains(QStringLiteral("did not start")))
                    ++m_canceledWaiting;
            }
        }
        m_state->calls.clear();
        // Cleared here, not at the next start: an execute may mark before started().
        for (ActorRecord &actor : m_state->actors)
            actor.marked = false;
    }

    // Calls recorded after a timed-out run's finished() are counted at the next start.
    void carryLateInterruptsLocked()
    {
        for (const InterruptCall &call : m_state->calls) {
            if (call.index < 0 || size_t(call.index) >= m_state->actors.size())
                continue;
            ActorRecord &actor = m_state->actors[size_t(call.index)];
            if (actor.lateInterrupts > 0)
                --actor.lateInterrupts;
            else
                m_state->violationLocked(
                    QStringLiteral("interrupt %1 ran between runs").arg(call.index));
        }
    }

    void onDestroyed()
    {
        if (m_inRun)
            violation(QStringLiteral("group destroyed before finished()"));
        {
            std::lock_guard<std::mutex> lock(m_state->markMutex);
            m_state->markGroup = nullptr;
        }
        m_group = nullptr;
    }

    RunGroup *m_group;
    const QThread *m_groupThread;
    std::shared_ptr<Shared> m_state;
    std::unique_ptr<QObject> m_context; // receiver of every connection, on the test's thread
    std::vector<QMetaObject::Connection> m_connections;

    // Group thread only.
    State m_stateSeen = State::Idle;
    bool m_lastRunning = false;
    RunError m_lastError;
    int m_started = 0;
    int m_finished = 0;
    bool m_destroying = false;
    bool m_inRun = false;
    bool m_finishedThisRun = false;
    bool m_runTimedOut = false;
    std::unique_ptr<RunError> m_stopReason; // set when a stop() began this run's shutdown
    std::unique_ptr<RunError> m_firstExit;
    std::vector<std::optional<RunError>> m_exits;
    // Ordering.
    int m_startupTimeoutMs = 0;
    bool m_startupTimedOut = false;
    bool m_previousRunTimedOut = false;
    int m_readyAtInterrupting = -1; // actorReady() seen when the run began interrupting
    int m_canceledWaiting = 0;
    std::vector<char> m_startedSeen; // actorStarted() this run (this incarnation)
    std::vector<char> m_startedEver; // actorStarted() this run, any incarnation
    std::vector<char> m_readySeen;   // actorReady() this run
    std::vector<std::vector<int>> m_dependents;
};
