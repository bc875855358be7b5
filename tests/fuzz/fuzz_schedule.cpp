// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// libFuzzer harness: the input bytes choose one scenario (tests/stress/scenario.h): the
// actor count, each actor's behaviour, interrupt and context, the shutdown timeout, the
// timing of exits, stops and deletions, re-runs. Any invariant violation aborts (a crash
// for libFuzzer, with the violations printed); AddressSanitizer and UBSan check memory.
//
//   build/fuzz/tests/fuzz/rungroup-fuzz-schedule -max_total_time=60 CORPUS_DIR SEED_DIR

#include <QtCore/QCoreApplication>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "scenario.h"

namespace {
std::unique_ptr<QCoreApplication> g_app;
std::unique_ptr<ScenarioEnvironment> g_environment;
ScenarioStats g_stats;
} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_app = std::make_unique<QCoreApplication>(*argc, *argv);
    g_environment = std::make_unique<ScenarioEnvironment>();
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
