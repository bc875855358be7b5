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
//
// Actors are added through the wrappers execute() and interrupt(), and the group is
// stopped and destroyed through stop() and destroyGroup(), so the checker knows what the
// first error must be. Violations are collected as text (thread-safe), never thrown.

#pragma once

#include <RunGroup/RunGroup>

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QThread>

#include <atomic>
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
        delete group;
    }

    // Returns the group, or null once it is being destroyed.
    RunGroup *group() const { return m_destroying ? nullptr : m_group; }
    // Runs started and finished so far.
    int started() const { return m_started; }
    int finished() const { return m_finished; }
    bool lastRunTimedOut() const { return m_runTimedOut; }
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

    void registerActor(int index, Kind kind, QObject *context, bool hasInterrupt)
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        if (m_state->actors.size() <= size_t(index))
            m_state->actors.resize(size_t(index) + 1);
        ActorRecord &actor = m_state->actors[size_t(index)];
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
                g, &RunGroup::actorExited, c,
                [this](int i, const RunError &e) { onActorExited(i, e); }, direct),
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
        m_runTimedOut = false;
        m_stopReason.reset();
        m_firstExit.reset();
        m_exits.assign(size_t(m_group->count()), std::optional<RunError>());
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->run = m_started;
        // Interrupts a timed-out run did not deliver may still come, once each.
        for (ActorRecord &actor : m_state->actors)
            actor.begun = 0;
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
        if (m_group->state() != State::Interrupting)
            violation(QStringLiteral("actorExited(%1) while the state is %2")
                          .arg(index)
                          .arg(int(m_group->state())));
        const QList<RunError> errors = m_group->errors();
        if (index < errors.size() && errors.at(index) != error)
            violation(QStringLiteral("actorExited(%1, %2) but errors()[%1] is %3")
                          .arg(index)
                          .arg(error.toString(), errors.at(index).toString()));
        if (error.kind() == RunError::Kind::Timeout) {
            m_runTimedOut = true;
            std::lock_guard<std::mutex> lock(m_state->mutex);
            m_state->anyTimedOut = true;
        }
        if (!m_firstExit && !m_stopReason)
            m_firstExit = std::make_unique<RunError>(error);
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
            if (actor.kind == Kind::Thread && actor.begun > 1)
                m_state->violationLocked(
                    QStringLiteral("execute %1 ran %2 times in one run").arg(i).arg(actor.begun));
        }
        m_state->calls.clear();
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
};
