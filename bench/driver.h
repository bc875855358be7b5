// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_BENCH_DRIVER_H
#define RUNGROUP_BENCH_DRIVER_H

// Shared with the tests: tests/helpers.
#include "procstats.h"
#include "testsync.h"

#include <RunGroup/RunError>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

namespace Bench {

enum class Scenario { Cycle, Latency, Rerun, Memory };

// What the benchmark reads about its own process from /proc.
struct Usage
{
    long rssKiB = 0; // VmRSS of /proc/self/status
    int fds = 0;     // entries of /proc/self/fd
};

inline Usage currentUsage()
{
    Usage usage;
    usage.fds = processFdCount();
    usage.rssKiB = processStatusKiB("VmRSS");
    return usage;
}

// One figure a child process measured, e.g. {1.2e6, "ns"} or {8.4, "KiB/actor"}.
struct Figure
{
    double value = 0;
    const char *unit = "";
};

// The scenarios, written once for every implementation. Group is RunGroup or one of the
// baselines: each has setStackSize(bytes), add(execute, interrupt) and run() returning
// the first error as a RunError. One Driver measures one scenario, once, in a fresh
// process (see main.cpp).
//
// Actor 0 exits with an error; every other actor blocks on its own Gate until its
// interrupt opens it: a condition variable wakes it at once, as a well-written actor does.
template <typename Group>
class Driver
{
public:
    Driver(int actors, uint stackSize)
        : m_count(actors), m_stackSize(stackSize), m_gates(new Gate[size_t(actors)]),
          m_allStarted(actors)
    { }

    std::vector<Figure> measure(Scenario scenario)
    {
        switch (scenario) {
        case Scenario::Cycle: return {cycle()};
        case Scenario::Latency: return {latency()};
        case Scenario::Rerun: return {rerun()};
        case Scenario::Memory: return memory();
        }
        return {};
    }

private:
    using Clock = std::chrono::steady_clock;

    static Figure nanoseconds(Clock::duration duration)
    {
        return {double(std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count()),
                "ns"};
    }

    // From the group's construction until run() returns; the first run in the process.
    Figure cycle()
    {
        const Clock::time_point begin = Clock::now();
        Group group;
        addActors(group, {});
        check(group.run());
        return nanoseconds(Clock::now() - begin);
    }

    // From the moment every actor is blocked (actor 0 saw the latch open) until run()
    // returns: interrupt fan-out and join.
    Figure latency()
    {
        Clock::time_point allStarted;
        Group group;
        addActors(group, [&allStarted] { allStarted = Clock::now(); });
        check(group.run());
        return nanoseconds(Clock::now() - allStarted);
    }

    // run() of a group that has run once already, once the threads of that first run
    // that are ending have ended.
    Figure rerun()
    {
        Group group;
        addActors(group, {});
        check(group.run());
        for (int i = 0; i < m_count; ++i)
            m_gates[size_t(i)].close();
        if (!waitForStableThreadCount(std::chrono::milliseconds(20), std::chrono::seconds(10)))
            std::fprintf(stderr, "rungroup-bench: the thread count did not settle\n");
        const Clock::time_point begin = Clock::now();
        check(group.run());
        return nanoseconds(Clock::now() - begin);
    }

    // RSS and file descriptors while every actor is blocked, minus those before the
    // group existed, per actor.
    std::vector<Figure> memory()
    {
        const Usage before = currentUsage();
        Usage running;
        Group group;
        addActors(group, [&running] { running = currentUsage(); });
        check(group.run());
        const double n = m_count;
        return {{double(running.rssKiB - before.rssKiB) / n, "KiB/actor"},
                {double(running.fds - before.fds) / n, "fds/actor"}};
    }

    // Adds the N actors. Without whenAllStarted, actor 0 exits at once; with it, actor 0
    // waits until every actor has started, calls it (on its own thread), then exits.
    void addActors(Group &group, std::function<void()> whenAllStarted)
    {
        if (m_stackSize != 0)
            group.setStackSize(m_stackSize);
        const bool wait = bool(whenAllStarted);
        Latch *allStarted = &m_allStarted;
        group.add(
            [wait, allStarted, whenAllStarted]() -> RunError {
                if (wait) {
                    allStarted->arriveAndWait(Gate::kForever);
                    whenAllStarted();
                }
                return RunError::failure(QStringLiteral("actor 0"));
            },
            [](const RunError &) {}); // actor 0 has already returned
        for (int i = 1; i < m_count; ++i) {
            Gate *gate = &m_gates[size_t(i)];
            group.add(
                [wait, allStarted, gate]() -> RunError {
                    if (wait)
                        allStarted->countDown();
                    gate->wait(Gate::kForever);
                    return RunError();
                },
                [gate](const RunError &) { gate->open(); });
        }
    }

    // Every implementation must report actor 0's error, the first one.
    static void check(const RunError &error)
    {
        if (error.kind() != RunError::Kind::Failure || error.message() != QLatin1String("actor 0"))
            throw std::runtime_error("run() returned " + error.toString().toStdString()
                                     + " instead of actor 0's error");
    }

    const int m_count;
    const uint m_stackSize;
    const std::unique_ptr<Gate[]> m_gates;
    Latch m_allStarted; // used by one run per process: latency or memory
};

template <typename Group>
std::vector<Figure> measure(Scenario scenario, int actors, uint stackSize)
{
    Driver<Group> driver(actors, stackSize);
    return driver.measure(scenario);
}

} // namespace Bench

#endif // RUNGROUP_BENCH_DRIVER_H
