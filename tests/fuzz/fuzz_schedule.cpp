// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// libFuzzer harness: the input bytes choose one scenario (tests/stress/scenario.h): the
// actor count, each actor's behaviour, interrupt and context, the shutdown timeout, the
// timing of exits, stops and deletions, re-runs. Any invariant violation aborts (a crash
// for libFuzzer, with the violations printed); AddressSanitizer and UBSan check memory.
//
//   build/fuzz/tests/fuzz/rungroup-fuzz-schedule -max_total_time=60 -handle_usr2=0 \
//       CORPUS_DIR SEED_DIR

#include <QtCore/QCoreApplication>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "scenario.h"

namespace {
// Never destroyed: libFuzzer ends the process with exit(), and destroying the application
// then, while its worker thread and parked actor threads exist, is not what is tested.
QCoreApplication *g_app = nullptr;
ScenarioEnvironment *g_environment = nullptr;
ScenarioStats g_stats;
} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_app = new QCoreApplication(*argc, *argv);
    g_environment = new ScenarioEnvironment;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    ByteChooser chooser(data, size);
    ScenarioOptions options;
    options.maxActors = 10;
    options.maxDelayUs = 1000;
    options.hangTimeoutMs = 30000;
    const QStringList violations = runScenario(chooser, *g_environment, options, &g_stats);
    if (!violations.isEmpty()) {
        std::fprintf(stderr, "fuzz-schedule: invariant violated:\n");
        for (const QString &violation : violations)
            std::fprintf(stderr, "  %s\n", qPrintable(violation));
        std::abort();
    }
    return 0;
}
