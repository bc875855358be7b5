// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Drives many seeded random scenarios (scenario.h) under the InvariantChecker and prints
// the seed of every failing one, so it can be replayed.
//
//   rungroup-stress [--seed S] [--runs N] [--max-actors M] [--max-delay-us U]
//
// Scenario i uses seed S + i (S is random unless given); replay a failure with
// `rungroup-stress --seed <its seed> --runs 1`. The seed replays the scenario's choices,
// not the threads' interleaving: a race may need a few replays.
// Exit code: 0 when every invariant held, 1 otherwise. A hang aborts with the seed
// printed first.

#include <RunGroup/RunGroup>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QRandomGenerator>

#include <cstdio>

#include "procstats.h"
#include "scenario.h"

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("RunGroup invariant stress"));
    parser.addHelpOption();
    const QCommandLineOption seedOption(
        QStringLiteral("seed"), QStringLiteral("Seed of the first scenario."), QStringLiteral("S"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
                                        QStringLiteral("Number of scenarios (default 1000)."),
                                        QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption actorsOption(QStringLiteral("max-actors"),
                                          QStringLiteral("Most actors per group (default 12)."),
                                          QStringLiteral("M"), QStringLiteral("12"));
    const QCommandLineOption delayOption(
        QStringLiteral("max-delay-us"),
        QStringLiteral("Longest sleep in an execute or interrupt (default 2000)."),
        QStringLiteral("U"), QStringLiteral("2000"));
    const QCommandLineOption threadFailuresOption(
        QStringLiteral("thread-failures"),
        QStringLiteral("Chance per run, in percent, that actor threads cannot be created "
                       "(default 10)."),
        QStringLiteral("P"), QStringLiteral("10"));
    parser.addOptions({seedOption, runsOption, actorsOption, delayOption, threadFailuresOption});
    parser.process(app);

    bool ok = true;
    const quint64 firstSeed = parser.isSet(seedOption)
                                  ? parser.value(seedOption).toULongLong(&ok)
                                  : QRandomGenerator::global()->bounded(quint64(1) << 48);
    const long runs = parser.value(runsOption).toLong(&ok);
    ScenarioOptions options;
    options.maxActors = parser.value(actorsOption).toInt();
    options.maxDelayUs = parser.value(delayOption).toInt();
    options.threadFailurePercent = parser.value(threadFailuresOption).toInt();
    if (!ok || runs < 1 || options.maxActors < 0 || options.maxDelayUs < 0
        || options.threadFailurePercent < 0 || options.threadFailurePercent > 100) {
        std::fprintf(stderr, "stress: bad arguments\n");
        return 2;
    }
    std::printf("stress: seeds %llu..%llu\n", static_cast<unsigned long long>(firstSeed),
                static_cast<unsigned long long>(firstSeed + quint64(runs) - 1));
    std::fflush(stdout);

    ScenarioEnvironment environment;
    ScenarioStats stats;
    QElapsedTimer timer;
    timer.start();
    long failed = 0;
    qint64 slowestMs = -1;
    quint64 slowestSeed = 0;
    for (long i = 0; i < runs; ++i) {
        const quint64 seed = firstSeed + quint64(i);
        // On a hang the scenario aborts: say which one first (stderr is unbuffered).
        std::fprintf(stderr, "\rstress: seed %llu ", static_cast<unsigned long long>(seed));
        SeededChooser chooser(seed);
        QElapsedTimer scenarioTimer;
        scenarioTimer.start();
        const QStringList violations = runScenario(chooser, environment, options, &stats);
        const qint64 ms = scenarioTimer.elapsed();
        if (ms > slowestMs) {
            slowestMs = ms;
            slowestSeed = seed;
        }
        if (!violations.isEmpty()) {
            ++failed;
            std::printf("\nstress: FAILED seed %llu (replay: --seed %llu --runs 1)\n",
                        static_cast<unsigned long long>(seed),
                        static_cast<unsigned long long>(seed));
            for (const QString &violation : violations)
                std::printf("  %s\n", qPrintable(violation));
            std::fflush(stdout);
        }
        if ((i + 1) % 10000 == 0) {
            std::printf("\nstress: %ld scenarios, %ld failed, %.1f s\n", i + 1, failed,
                        double(timer.elapsed()) / 1000);
            std::fflush(stdout);
        }
    }
    std::fprintf(stderr, "\n");
    std::printf("stress: %ld scenarios (seeds %llu..%llu) in %.1f s: %ld failed\n", runs,
                static_cast<unsigned long long>(firstSeed),
                static_cast<unsigned long long>(firstSeed + quint64(runs) - 1),
                double(timer.elapsed()) / 1000, failed);
    std::printf("stress: slowest scenario: seed %llu, %lld ms\n",
                static_cast<unsigned long long>(slowestSeed), static_cast<long long>(slowestMs));
    std::printf("stress: %s\n", qPrintable(stats.summary()));
    std::printf("stress: threads %d (parked %d), fds %d\n", processThreadCount(),
                RunGroup::idleThreadCount(), processFdCount());
    return failed == 0 ? 0 : 1;
}
