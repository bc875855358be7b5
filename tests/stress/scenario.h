// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// One random run of a RunGroup under the InvariantChecker, shared by the stress executable
// (choices from a seeded generator) and the schedule fuzzer (choices from the input bytes).
// A scenario picks the actors (returning, throwing, blocking, polling, hanging, event-driven
// on this or another thread, signal handlers), their interrupts (plain, throwing, blocking,
// none) and contexts (none, another thread's, one destroyed mid-run), a shutdown timeout,
// and timed actions (stop(), destroying contexts, objects or the group, raising a signal,
// start() while running), then re-runs the group a few times. Some scenarios (about 40%)
// also order the actors (docs/ordering.md): dependencies without cycles (and a refused
// cycle), actors that require readiness and are marked ready from their execute, from a
// slot connected to actorStarted() or by a timer on the group's thread, or never, and a
// startup timeout; the others draw nothing of it and run as before. Seeds replay the
// choices, not the threads' interleaving.

#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>

class WorkerThread;

// Where a scenario's choices come from.
class Chooser
{
public:
    virtual ~Chooser() = default;
    // Returns a value in [0, n) (0 when n <= 1).
    virtual int below(int n) = 0;
    bool chance(int percent) { return below(100) < percent; }
};

// Choices from a seeded generator: one seed, one scenario.
class SeededChooser : public Chooser
{
public:
    explicit SeededChooser(std::uint64_t seed) : m_rng(seed) { }
    int below(int n) override
    {
        return n <= 1 ? 0 : int(std::uniform_int_distribution<int>(0, n - 1)(m_rng));
    }

private:
    std::mt19937_64 m_rng;
};

// Choices from fuzzer input: one byte per choice (two above 256), 0 once it is used up.
class ByteChooser : public Chooser
{
public:
    ByteChooser(const std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) { }
    int below(int n) override
    {
        if (n <= 1)
            return 0;
        unsigned value = byte();
        if (n > 256)
            value = value << 8 | byte();
        return int(value % unsigned(n));
    }

private:
    unsigned byte() { return m_pos < m_size ? m_data[m_pos++] : 0u; }
    const std::uint8_t *m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

// What the scenarios did, summed over many.
struct ScenarioStats
{
    long scenarios = 0;
    long runs = 0; // started runs, re-runs included
    long actors = 0;
    long threadActors = 0;
    long objectActors = 0;
    long signalActors = 0;
    long throwingExecutes = 0;
    long throwingInterrupts = 0;
    long blockingInterrupts = 0;
    long hangingActors = 0;
    long stops = 0;
    long contextsDestroyed = 0;
    long objectsDestroyed = 0;
    long groupsDestroyed = 0;
    long signalsRaised = 0;
    long timedOutRuns = 0;
    long threadFailuresInjected = 0;
    // Ordering.
    long orderedScenarios = 0;
    long policyScenarios = 0;    // scenarios with exit policies
    long actorsWithPolicies = 0; // threaded actors that retire or restart
    long restarts = 0;           // actorRestarting() seen
    long dependencyEdges = 0;    // dependencies set (a duplicate counts)
    long actorsWithDependencies = 0;
    long readyRequired = 0;
    long marksInExecute = 0; // actors marking themselves ready from their execute
    long marksInSlot = 0;    // ... from a slot connected to actorStarted()
    long marksByTimer = 0;   // ... by a timer on the group's thread
    long marksNever = 0;     // requiring readiness, never marked
    long cyclesRefused = 0;
    long startupTimeoutsSet = 0;
    long startupTimedOutRuns = 0;
    long canceledWaiting = 0; // actors that never started: "did not start"
    QString summary() const;
};

struct ScenarioOptions
{
    int maxActors = 12;
    int maxDelayUs = 2000;     // sleeps in executes and interrupts, timers in ms / 1000
    int hangTimeoutMs = 60000; // a run that has not finished by then is reported as a hang
    // Chance per run, in percent, that the next 1 to 3 actor threads cannot be created
    // (EAGAIN, through the library's test seam). 0 draws nothing from the chooser, so the
    // fuzzer's inputs keep their meaning.
    int threadFailurePercent = 0;
};

// The parts a scenario needs that outlive it: a thread with an event loop for contexts and
// objects, SIGUSR2 ignored outside runs (so a raise after the handler is gone is harmless),
// and a message handler that turns unexpected warnings into violations.
class ScenarioEnvironment
{
public:
    ScenarioEnvironment();
    ~ScenarioEnvironment();
    WorkerThread &worker() { return *m_worker; }
    QObject *workerContext() const { return m_workerContext; }

private:
    std::unique_ptr<WorkerThread> m_worker;
    QObject *m_workerContext = nullptr;
};

// Runs one scenario on the calling thread (it must be the main thread, with a
// QCoreApplication). Returns the invariant violations found (empty: all held). A run that
// does not finish within options.hangTimeoutMs is a violation, and then the function
// does not return: it prints and aborts, since the stuck threads cannot be cleaned up.
QStringList runScenario(Chooser &chooser, ScenarioEnvironment &environment,
                        const ScenarioOptions &options, ScenarioStats *stats);

// An addObject() actor: exits when done is emitted (a non-empty message is a failure).
class ScenarioEmitter : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

Q_SIGNALS:
    void done(const QString &message);
};
