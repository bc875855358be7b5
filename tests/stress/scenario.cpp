// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "scenario.h"

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtCore/QThread>

#include "testseams_p.h"

#include <QtCore/QTimer>
#include <cerrno>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "invariantchecker.h"
#include "testsync.h"
#include "workerthread.h"

namespace {

// Warnings the scenarios provoke on purpose; any other warning is a violation.
std::mutex g_messagesMutex;
QStringList g_unexpectedMessages;
QtMessageHandler g_previousHandler = nullptr;

void messageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg || type == QtCriticalMsg) {
        static const QRegularExpression expected(
            QStringLiteral("^(RunGroup::start: The group is already running"
                           "|RunGroup: The interrupt of actor \\d+ threw an exception: .*"
                           "|RunGroup::setDependencies: .* cannot depend on .*, which depends "
                           "on it: that would make a cycle)$"));
        if (!expected.match(message).hasMatch()) {
            std::lock_guard<std::mutex> lock(g_messagesMutex);
            g_unexpectedMessages.append(message);
        }
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QStringList takeUnexpectedMessages()
{
    std::lock_guard<std::mutex> lock(g_messagesMutex);
    return std::exchange(g_unexpectedMessages, {});
}

// Prints what a scenario does when RUNGROUP_SCENARIO_TRACE is set (to replay a seed).
bool tracing()
{
    static const bool on = qEnvironmentVariableIsSet("RUNGROUP_SCENARIO_TRACE");
    return on;
}

template <typename... Args>
void trace(const char *format, Args... args)
{
    if (tracing()) {
        std::fprintf(stderr, format, args...);
        std::fputc('\n', stderr);
    }
}

void sleepUs(int us)
{
    if (us > 0)
        std::this_thread::sleep_for(std::chrono::microseconds(us));
}

// Processes the calling thread's events until done() or the deadline.
bool waitFor(const std::function<bool()> &done, int ms)
{
    QDeadlineTimer deadline(ms);
    QTimer tick; // wakes the loop: what we wait for may change on another thread
    tick.start(1);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

enum class ActorKind { Return, Throw, Block, Poll, Hang, Object, WorkerObject, Signal, Count };
enum class InterruptKind { None, Plain, Throwing, Blocking, Count };
enum class ContextKind { Group, Worker, Local, LocalWorker, Count };
// Who marks an actor that requires readiness ready: nobody, a slot connected to
// actorStarted() (inside the signal), a timer on the group's thread started then, or the
// actor's execute after a delay (threaded actors only).
enum class MarkKind { Never, InSlot, Timer, Execute, Count };
enum class ActionKind {
    Stop,
    DestroyContext,
    DestroyObject,
    DestroyGroup,
    DestroyGroupOnExit,
    StopOnExit,
    Raise,
    StartWhileRunning,
    Count
};

template <typename E>
E pick(Chooser &chooser)
{
    return E(chooser.below(int(E::Count)));
}

RunError pickResult(Chooser &chooser, int index)
{
    switch (chooser.below(4)) {
    case 0: return RunError::failure(QStringLiteral("actor %1 failed").arg(index));
    case 1: return RunError::canceled(QStringLiteral("actor %1 canceled").arg(index));
    default: return RunError();
    }
}

// One scenario's objects. Contexts and emitters on the worker thread are deleted there.
// This thread holds those only as QPointer<QObject>: QPointer<ScenarioEmitter>::data()
// downcasts, and under UBSan that reads the object's vptr, racing its deletion there (the
// schedule fuzzer found it: "downcast of address ... which does not point to an object of
// type 'ScenarioEmitter'"). Only the worker turns them back into emitters.
struct Objects
{
    ScenarioEnvironment &environment;
    std::vector<QPointer<QObject>> localContexts;    // on this thread
    std::vector<QPointer<QObject>> workerContexts;   // on the worker thread
    std::vector<QPointer<ScenarioEmitter>> emitters; // on this thread
    std::vector<QPointer<QObject>> workerEmitters;   // ScenarioEmitters on the worker thread
    std::vector<int> workerEmitterActors;            // the actor of each, by index

    // Destroys the n-th destroyable context or object (counted over both threads); returns
    // false when it is already gone.
    bool destroyContext(int n)
    {
        const size_t total = localContexts.size() + workerContexts.size();
        if (total == 0)
            return false;
        const size_t i = size_t(n) % total;
        if (i < localContexts.size())
            return destroyHere(localContexts[i]);
        return destroyThere(workerContexts[i - localContexts.size()]);
    }
    // mayDestroyThere(actor): an object on another thread must outlive its actor's start
    // (addObject()), which with dependencies comes after start().
    bool destroyObject(int n, const std::function<bool(int)> &mayDestroyThere)
    {
        const size_t total = emitters.size() + workerEmitters.size();
        if (total == 0)
            return false;
        const size_t i = size_t(n) % total;
        if (i < emitters.size())
            return destroyHere(emitters[i]);
        const size_t w = i - emitters.size();
        if (!mayDestroyThere(workerEmitterActors[w]))
            return false;
        return destroyThere(workerEmitters[w]);
    }
    template <typename T>
    bool destroyHere(QPointer<T> &object)
    {
        if (!object)
            return false;
        delete object.data();
        return true;
    }
    bool destroyThere(const QPointer<QObject> &object)
    {
        // Reading a QPointer<QObject> here is safe; the object is deleted on its own thread.
        if (object.isNull())
            return false;
        environment.worker().post([object] { delete object.data(); });
        return true;
    }
    void destroyAll()
    {
        for (auto &object : localContexts)
            destroyHere(object);
        for (auto &object : emitters)
            destroyHere(object);
        for (auto &object : workerContexts)
            destroyThere(object);
        for (auto &object : workerEmitters)
            destroyThere(object);
        environment.worker().flush();
    }
};

// What blocked and hanging actors wait for.
struct Control
{
    Gate hang; // opened once the scenario's runs are over
};

// Blocks until the interrupt releases semaphore or the actor's QThread is asked to stop.
RunError blockUntilInterrupted(Semaphore &semaphore, const RunError &result)
{
    while (!semaphore.acquire(2)) {
        if (QThread::currentThread()->isInterruptionRequested())
            break;
    }
    return result;
}

// An interrupt of the given kind that, besides, calls release().
std::function<void(const RunError &)>
makeInterrupt(InterruptKind kind, int delayUs, std::function<void()> release, ScenarioStats *stats)
{
    switch (kind) {
    case InterruptKind::None:
    case InterruptKind::Count:
    case InterruptKind::Plain: return [release](const RunError &) { release(); };
    case InterruptKind::Throwing:
        ++stats->throwingInterrupts;
        return [release, delayUs](const RunError &) {
            release();
            if (delayUs % 2)
                throw std::runtime_error("interrupt throws");
            throw delayUs; // not a std::exception
        };
    case InterruptKind::Blocking:
        ++stats->blockingInterrupts;
        return [release, delayUs](const RunError &) {
            sleepUs(delayUs);
            release();
        };
    }
    return {};
}

struct Readiness
{
    bool required = false;
    MarkKind mark = MarkKind::Never;
    int delayUs = 0; // Execute: before marking; Timer: in ms / 1000
};

Readiness pickReadiness(Chooser &chooser, bool threaded, int delayRange, ScenarioStats *stats)
{
    Readiness readiness;
    if (!chooser.chance(40))
        return readiness;
    readiness.required = true;
    ++stats->readyRequired;
    readiness.mark = MarkKind(chooser.below(threaded ? int(MarkKind::Count) : 3));
    if (readiness.mark != MarkKind::Never && readiness.mark != MarkKind::InSlot)
        readiness.delayUs = chooser.below(delayRange);
    switch (readiness.mark) {
    case MarkKind::Never: ++stats->marksNever; break;
    case MarkKind::InSlot: ++stats->marksInSlot; break;
    case MarkKind::Timer: ++stats->marksByTimer; break;
    case MarkKind::Execute: ++stats->marksInExecute; break;
    case MarkKind::Count: break;
    }
    return readiness;
}

} // namespace

QString ScenarioStats::summary() const
{
    return QStringLiteral("scenarios %1 runs %2 actors %3 (threads %4, objects %5, signal "
                          "handlers %6) throwing executes %7 throwing interrupts %8 blocking "
                          "interrupts %9 hanging actors %10 stops %11 contexts destroyed %12 "
                          "objects destroyed %13 groups destroyed %14 signals raised %15 "
                          "timed-out runs %16 thread creations failed %17")
               .arg(scenarios)
               .arg(runs)
               .arg(actors)
               .arg(threadActors)
               .arg(objectActors)
               .arg(signalActors)
               .arg(throwingExecutes)
               .arg(throwingInterrupts)
               .arg(blockingInterrupts)
               .arg(hangingActors)
               .arg(stops)
               .arg(contextsDestroyed)
               .arg(objectsDestroyed)
               .arg(groupsDestroyed)
               .arg(signalsRaised)
               .arg(timedOutRuns)
               .arg(threadFailuresInjected)
           + QStringLiteral("; ordered scenarios %1 dependencies %2 (actors with some %3) "
                            "requiring readiness %4 (marked in execute %5, in actorStarted() %6, "
                            "by a timer %7, never %8) cycles refused %9 startup timeouts set %10 "
                            "startup-timed-out runs %11 actors canceled before starting %12")
                 .arg(orderedScenarios)
                 .arg(dependencyEdges)
                 .arg(actorsWithDependencies)
                 .arg(readyRequired)
                 .arg(marksInExecute)
                 .arg(marksInSlot)
                 .arg(marksByTimer)
                 .arg(marksNever)
                 .arg(cyclesRefused)
                 .arg(startupTimeoutsSet)
                 .arg(startupTimedOutRuns)
                 .arg(canceledWaiting)
           + QStringLiteral("; policy scenarios %1 actors with policies %2 restarts %3")
                 .arg(policyScenarios)
                 .arg(actorsWithPolicies)
                 .arg(restarts);
}

ScenarioEnvironment::ScenarioEnvironment()
    : m_worker(std::make_unique<WorkerThread>(QStringLiteral("scenarioWorker")))
{
    m_workerContext = m_worker->create<QObject>();
    // A signal raised after the group's handler was restored must not end the process.
    std::signal(SIGUSR2, SIG_IGN);
    g_previousHandler = qInstallMessageHandler(messageHandler);
}

ScenarioEnvironment::~ScenarioEnvironment()
{
    qInstallMessageHandler(g_previousHandler);
}

QStringList runScenario(Chooser &chooser, ScenarioEnvironment &environment,
                        const ScenarioOptions &options, ScenarioStats *stats)
{
    ++stats->scenarios;
    // Three runs and the clean-up, each bounded by hangTimeoutMs.
    // A hang inside the group (a destructor spinning) never returns to waitFor()'s deadline.
    Watchdog watchdog("a stress scenario", 5 * options.hangTimeoutMs);
    takeUnexpectedMessages();
    const int delayRange = std::max(1, options.maxDelayUs);
    auto pickDelayUs = [&] { return chooser.chance(40) ? 0 : chooser.below(delayRange); };

    auto control = std::make_shared<Control>();
    Objects objects{environment, {}, {}, {}, {}, {}};
    QPointer<RunGroup> group = new RunGroup;
    InvariantChecker checker(group);
    QObject::connect(group, &RunGroup::actorRestarting, group, [stats] { ++stats->restarts; });

    const int timeoutMs = chooser.chance(15) ? 5 + chooser.below(40) : 0;
    trace("shutdown timeout %d ms", timeoutMs);
    if (timeoutMs > 0)
        group->setShutdownTimeout(timeoutMs);
    // Ordered start and stop, in some scenarios (none once the fuzzer's input is used up).
    const int variant = chooser.below(100);
    const bool ordered = variant >= 60;
    trace("ordered %d", int(ordered));
    if (ordered)
        ++stats->orderedScenarios;
    // Exit policies (docs/restarts.md) in a third of the scenarios. Their choices come from
    // a generator seeded by this scenario's first choices, not from the chooser, so that
    // the inputs of the corpus keep their meaning otherwise.
    const bool policies = variant % 3 == 2;
    if (policies)
        ++stats->policyScenarios;

    // Actors.
    const int actorCount = chooser.below(options.maxActors + 1);
    std::vector<int> signalActors;
    // Emitters that exit by a timer of their own, each with its delay in ms and message.
    struct TimedExit
    {
        int index;
        QPointer<QObject> emitter; // a ScenarioEmitter, possibly on the worker (see Objects)
        bool onWorker;
        int delayMs;
        QString message;
    };
    std::vector<TimedExit> timedExits;
    std::vector<Readiness> readiness(static_cast<size_t>(actorCount));
    for (int i = 0; i < actorCount; ++i) {
        ++stats->actors;
        ActorKind kind = pick<ActorKind>(chooser);
        if (kind == ActorKind::Hang && timeoutMs == 0)
            kind = ActorKind::Block; // would never end: only with a shutdown timeout
        const QString name = chooser.chance(50) ? QStringLiteral("actor%1").arg(i) : QString();
        const int delayUs = pickDelayUs();
        trace("actor %d: kind %d delay %d us", i, int(kind), delayUs);
        if (ordered) {
            const bool threaded = kind != ActorKind::Signal && kind != ActorKind::Object
                                  && kind != ActorKind::WorkerObject;
            readiness[size_t(i)] = pickReadiness(chooser, threaded, delayRange, stats);
            trace("  readiness: required %d mark %d delay %d us",
                  int(readiness[size_t(i)].required), int(readiness[size_t(i)].mark),
                  readiness[size_t(i)].delayUs);
        }
        if (kind == ActorKind::Signal) {
            ++stats->signalActors;
            checker.signalActor(i);
            if (group->addSignalHandler({SIGUSR2}) != i)
                return {QStringLiteral("addSignalHandler did not return %1").arg(i)};
            signalActors.push_back(i);
            continue;
        }
        InterruptKind interruptKind = pick<InterruptKind>(chooser);
        if (kind == ActorKind::Object || kind == ActorKind::WorkerObject) {
            ++stats->objectActors;
            const bool onWorker = kind == ActorKind::WorkerObject;
            auto *emitter = new ScenarioEmitter;
            QPointer<QObject> guard(emitter);
            const QString message =
                chooser.chance(50) ? QString() : QStringLiteral("object %1 failed").arg(i);
            const bool timed = interruptKind == InterruptKind::None || chooser.chance(30);
            trace("  object: interrupt %d timed %d", int(interruptKind), int(timed));
            if (timed)
                timedExits.push_back({i, guard, onWorker, chooser.below(6), message});
            int index = -1;
            if (interruptKind == InterruptKind::None) {
                checker.objectActor(i, emitter);
                index = group->addObject(emitter, &ScenarioEmitter::done, nullptr, name);
            } else {
                // Runs on the emitter's thread, with the emitter alive (it is the context).
                auto exit = [emitter, message] { Q_EMIT emitter->done(message); };
                index = group->addObject(
                    emitter, &ScenarioEmitter::done,
                    checker.objectInterrupt(i, emitter,
                                            makeInterrupt(interruptKind, delayUs, exit, stats)),
                    name);
            }
            if (index != i)
                return {QStringLiteral("addObject did not return %1").arg(i)};
            if (onWorker) {
                emitter->moveToThread(environment.worker().thread());
                objects.workerEmitters.push_back(guard);
                objects.workerEmitterActors.push_back(i);
            } else {
                objects.emitters.emplace_back(emitter);
            }
            continue;
        }

        ++stats->threadActors;
        const RunError result = pickResult(chooser, i);
        std::function<RunError()> execute;
        auto semaphore = std::make_shared<Semaphore>();
        switch (kind) {
        case ActorKind::Return:
            execute = [delayUs, result] {
                sleepUs(delayUs);
                return result;
            };
            break;
        case ActorKind::Throw:
            ++stats->throwingExecutes;
            execute = [delayUs]() -> RunError {
                sleepUs(delayUs);
                if (delayUs % 2)
                    throw std::runtime_error("execute throws");
                throw delayUs;
            };
            break;
        case ActorKind::Block:
            execute = [semaphore, result] { return blockUntilInterrupted(*semaphore, result); };
            break;
        case ActorKind::Poll:
            interruptKind = InterruptKind::None;
            execute = [result] {
                QDeadlineTimer deadline(10 * 60 * 1000);
                while (!QThread::currentThread()->isInterruptionRequested()
                       && !deadline.hasExpired())
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                return result;
            };
            break;
        case ActorKind::Hang:
            ++stats->hangingActors;
            execute = [control] {
                control->hang.wait(10 * 60 * 1000);
                return RunError::failure(QStringLiteral("returned after its timeout"));
            };
            break;
        default: break;
        }
        if (readiness[size_t(i)].mark == MarkKind::Execute) {
            // Marks itself ready (through the group's queue) before doing its work.
            execute = [markReady = checker.readyMarker(i),
                       markDelayUs = readiness[size_t(i)].delayUs, execute] {
                sleepUs(markDelayUs);
                markReady();
                return execute();
            };
        }
        int index = -1;
        if (interruptKind == InterruptKind::None) {
            checker.noInterrupt(i);
            index = group->add(checker.execute(i, name, execute), nullptr, nullptr, name);
        } else {
            QObject *context = nullptr;
            const ContextKind contextKind = pick<ContextKind>(chooser);
            trace("  thread: interrupt %d context %d", int(interruptKind), int(contextKind));
            switch (contextKind) {
            case ContextKind::Group: break;
            case ContextKind::Worker: context = environment.workerContext(); break;
            case ContextKind::Local:
                context = new QObject;
                objects.localContexts.emplace_back(context);
                break;
            case ContextKind::LocalWorker:
                context = new QObject;
                context->moveToThread(environment.worker().thread());
                objects.workerContexts.emplace_back(context);
                break;
            case ContextKind::Count: break;
            }
            auto release = [semaphore] { semaphore->release(); };
            index =
                group->add(checker.execute(i, name, execute),
                           checker.interrupt(i, context,
                                             makeInterrupt(interruptKind, delayUs, release, stats)),
                           context, name);
        }
        if (index != i)
            return {QStringLiteral("add did not return %1").arg(i)};
        // Threaded actors can restart: some retire or restart instead of ending the run.
        if (policies) {
            SeededChooser policyChooser(std::uint64_t(variant) * 1000003u + std::uint64_t(i) * 7919u
                                        + std::uint64_t(actorCount) * 31u + std::uint64_t(delayUs));
            if (policyChooser.chance(60)) {
                const auto policy = RunGroup::ExitPolicy(1 + policyChooser.below(3));
                const int maxRestarts = policyChooser.below(4);
                const int backoffMs = policyChooser.below(3);
                trace("  exit policy %d: %d restarts, backoff %d ms", int(policy), maxRestarts,
                      backoffMs);
                checker.setExitPolicy(i, policy, maxRestarts, backoffMs);
                ++stats->actorsWithPolicies;
            }
        }
    }

    // Ordering: readiness, dependencies on actors earlier in a random order (so never a
    // cycle, though they may point to later indices), a cycle that must be refused, and a
    // startup timeout.
    std::vector<char> hasDependencies(static_cast<size_t>(actorCount), 0);
    if (ordered) {
        for (int i = 0; i < actorCount; ++i) {
            if (readiness[size_t(i)].required)
                checker.requireReady(i);
        }
        std::vector<int> order(static_cast<size_t>(actorCount));
        for (int k = 0; k < actorCount; ++k)
            order[size_t(k)] = k;
        if (chooser.chance(50)) {
            for (int k = actorCount - 1; k > 0; --k)
                std::swap(order[size_t(k)], order[size_t(chooser.below(k + 1))]);
        }
        int cycleFrom = -1, cycleTo = -1; // an edge: cycleFrom depends on cycleTo
        for (int k = 1; k < actorCount; ++k) {
            if (!chooser.chance(60))
                continue;
            const int i = order[size_t(k)];
            QList<int> dependencies;
            const int n = 1 + chooser.below(std::min(3, k));
            for (int d = 0; d < n; ++d)
                dependencies.append(order[size_t(chooser.below(k))]);
            QStringList names;
            for (int d : dependencies)
                names.append(QString::number(d));
            trace("actor %d depends on %s", i, qPrintable(names.join(QLatin1Char(','))));
            if (!checker.setDependencies(i, dependencies))
                return {QStringLiteral("setDependencies(%1) refused an acyclic choice").arg(i)};
            stats->dependencyEdges += dependencies.size();
            ++stats->actorsWithDependencies;
            hasDependencies[size_t(i)] = 1;
            cycleFrom = i;
            cycleTo = dependencies.first();
        }
        if (cycleFrom >= 0 && chooser.chance(15)) {
            // cycleTo depending on cycleFrom closes a cycle: refused, nothing changed.
            trace("actor %d depends on %d: a cycle", cycleTo, cycleFrom);
            const QList<int> before = group->dependencies(cycleTo);
            if (checker.setDependencies(cycleTo, before + QList<int>{cycleFrom}))
                return {QStringLiteral("setDependencies(%1) accepted a cycle through %2")
                            .arg(cycleTo)
                            .arg(cycleFrom)};
            if (group->dependencies(cycleTo) != before)
                return {QStringLiteral("a refused setDependencies(%1) changed them").arg(cycleTo)};
            ++stats->cyclesRefused;
        }
        if (chooser.chance(25)) {
            const int startupTimeoutMs = 1 + chooser.below(15);
            trace("startup timeout %d ms", startupTimeoutMs);
            checker.setStartupTimeout(startupTimeoutMs);
            ++stats->startupTimeoutsSet;
        }
    }

    // Runs: the first, then maybe re-runs.
    QStringList violations;
    for (int runIndex = 0;; ++runIndex) {
        ++stats->runs;
        auto actions = std::make_unique<QObject>(); // pending timed actions die with it
        const int actionCount = chooser.below(4);
        struct Action
        {
            ActionKind kind;
            int delayMs; // -1: right after start()
            int argument;
            RunError reason;
        };
        std::vector<Action> planned;
        for (int a = 0; a < actionCount; ++a) {
            const ActionKind kind = pick<ActionKind>(chooser);
            int delayMs = chooser.below(7) - 1;
            if (ordered) // also while actors wait, and during a staged stop
                delayMs += 5 * chooser.below(4);
            const int argument = chooser.below(64);
            const RunError reason = chooser.chance(50)
                                        ? RunError::canceled()
                                        : RunError::failure(QStringLiteral("stopped %1").arg(a));
            planned.push_back({kind, delayMs, argument, reason});
            trace("run %d action %d: kind %d at %d ms argument %d", runIndex, a, int(kind), delayMs,
                  argument);
        }
        auto perform = [&, group](const Action &action) {
            switch (action.kind) {
            case ActionKind::Stop:
                if (checker.group())
                    ++stats->stops;
                checker.stop(action.reason);
                break;
            case ActionKind::DestroyContext:
                stats->contextsDestroyed += objects.destroyContext(action.argument);
                break;
            case ActionKind::DestroyObject:
                stats->objectsDestroyed += objects.destroyObject(action.argument, [&](int actor) {
                    RunGroup *g = checker.group();
                    return !hasDependencies[size_t(actor)] || !g
                           || g->state() != RunGroup::State::Running || g->isStarted(actor);
                });
                break;
            case ActionKind::DestroyGroup:
                if (checker.group()) {
                    ++stats->groupsDestroyed;
                    checker.destroyGroup();
                }
                break;
            case ActionKind::DestroyGroupOnExit:
            case ActionKind::StopOnExit:
                if (checker.group()) {
                    // From a slot connected to actorExited(): the group must cope with
                    // being stopped or destroyed from inside its own signal.
                    // In ordered scenarios, at a later exit too: during a staged stop.
                    const bool destroy = action.kind == ActionKind::DestroyGroupOnExit;
                    const RunError reason = action.reason;
                    auto exits = std::make_shared<int>(0);
                    const int at = ordered ? action.argument % 4 : 0;
                    QObject::connect(group, &RunGroup::actorExited, actions.get(),
                                     [&checker, &stats, destroy, reason, exits, at] {
                                         if ((*exits)++ != at)
                                             return;
                                         if (destroy) {
                                             ++stats->groupsDestroyed;
                                             checker.destroyGroup();
                                         } else {
                                             ++stats->stops;
                                             checker.stop(reason);
                                         }
                                     });
                }
                break;
            case ActionKind::Raise:
                if (!signalActors.empty()) {
                    ++stats->signalsRaised;
                    std::raise(SIGUSR2);
                }
                break;
            case ActionKind::StartWhileRunning:
                if (RunGroup *g = checker.group(); g && g->isRunning())
                    g->start(); // warns, no effect
                break;
            case ActionKind::Count: break;
            }
        };

        // start() connects to the objects; one living on the worker must not be destroyed
        // there meanwhile (as for any cross-thread QObject::connect): deletions an earlier
        // run posted are done first.
        environment.worker().flush();
        if (options.threadFailurePercent > 0 && chooser.chance(options.threadFailurePercent)) {
            const int failures = 1 + chooser.below(3);
            stats->threadFailuresInjected += failures;
            trace("run %d: the next %d thread creations fail", runIndex, failures);
            RunGroupTesting::failThreadCreations(failures, EAGAIN);
        }
        // Exit signals count from the moment start() returned, or for actors with dependencies
        // from their actorStarted() (one that never starts never exits on its own).
        auto arm = [&environment](const TimedExit &exit) {
            if (exit.emitter.isNull())
                return;
            const QPointer<QObject> emitter = exit.emitter;
            const QString message = exit.message;
            const int delayMs = exit.delayMs;
            // On the emitter's thread, which alone deletes it; the timer's slot runs only
            // while its context, the emitter, is alive.
            auto fire = [emitter, message, delayMs] {
                if (QObject *object = emitter.data())
                    QTimer::singleShot(delayMs, object, [object, message] {
                        Q_EMIT static_cast<ScenarioEmitter *>(object)->done(message);
                    });
            };
            if (exit.onWorker)
                environment.worker().post(fire);
            else
                fire();
        };
        if (ordered) {
            QObject *context = actions.get();
            QObject::connect(
                group, &RunGroup::actorStarted, context,
                [&checker, &readiness, &hasDependencies, &timedExits, arm, context](int i) {
                    if (i < 0 || size_t(i) >= readiness.size())
                        return;
                    if (hasDependencies[size_t(i)]) {
                        for (const TimedExit &exit : timedExits) {
                            if (exit.index == i)
                                arm(exit);
                        }
                    }
                    const Readiness &ready = readiness[size_t(i)];
                    if (ready.mark == MarkKind::InSlot)
                        checker.markReady(i);
                    else if (ready.mark == MarkKind::Timer)
                        QTimer::singleShot(ready.delayUs / 1000, context,
                                           [&checker, i] { checker.markReady(i); });
                });
        }
        group->start();
        RunGroupTesting::failThreadCreations(0, 0); // those not used by this start() lapse
        for (const TimedExit &exit : timedExits) {
            if (!hasDependencies[size_t(exit.index)])
                arm(exit);
        }

        for (const Action &action : planned) {
            if (action.delayMs < 0) {
                perform(action);
            } else {
                QTimer::singleShot(action.delayMs, actions.get(),
                                   [perform, action] { perform(action); });
            }
        }

        // Nothing may end a run on its own (blocked actors, signal handlers): as oklog's
        // users add a deadline actor, the scenario stops the group after a while.
        QTimer::singleShot(20, actions.get(), [&checker] {
            checker.stop(RunError::canceled(QStringLiteral("backstop")));
        });

        const bool done = waitFor([&] { return !group || checker.finished() == checker.started(); },
                                  options.hangTimeoutMs);
        if (!done) {
            std::fprintf(stderr,
                         "scenario: HANG: run %d did not finish within %d ms (state %d, started "
                         "%d, finished %d, executes running %d)\n",
                         runIndex, options.hangTimeoutMs, group ? int(group->state()) : -1,
                         checker.started(), checker.finished(), checker.runningExecutes());
            for (const QString &v : checker.violations())
                std::fprintf(stderr, "scenario: %s\n", qPrintable(v));
            if (group) {
                const QList<RunError> errors = group->errors();
                for (int i = 0; i < errors.size(); ++i)
                    std::fprintf(stderr, "scenario: errors()[%d] = %s\n", i,
                                 qPrintable(errors.at(i).toString()));
            }
            std::fflush(stderr);
            std::abort();
        }
        if (checker.lastRunTimedOut())
            ++stats->timedOutRuns;
        if (checker.lastRunStartupTimedOut())
            ++stats->startupTimedOutRuns;
        if (!group || checker.lastRunTimedOut() || runIndex >= 2 || !chooser.chance(30))
            break;
    }

    // Clean up: what hangs may end now; every execute must return; then the group, then
    // the contexts and objects go.
    control->hang.open();
    if (!waitFor([&] { return checker.runningExecutes() == 0; }, options.hangTimeoutMs)) {
        std::fprintf(stderr, "scenario: HANG: %d executes never returned\n",
                     checker.runningExecutes());
        std::abort();
    }
    if (group)
        checker.destroyGroup();
    checker.finalCheck();
    stats->canceledWaiting += checker.canceledWaiting();
    objects.destroyAll();
    QCoreApplication::processEvents();
    violations += checker.violations();
    for (const QString &message : takeUnexpectedMessages())
        violations.append(QStringLiteral("unexpected warning: ") + message);
    return violations;
}
