#!/bin/sh
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# CI: the README's test command (scripts/test.sh: deps, preset default, the whole suite),
# then the whole suite again under AddressSanitizer + UBSan (preset asan) and under
# ThreadSanitizer (preset tsan), where any sanitizer report fails its test, then the
# schedule fuzzer (preset fuzz, clang) for a bounded time. Prints each stage's wall time.
#
# Usage: scripts/ci.sh [--fuzz-seconds N]   (default 60; 0 skips the fuzzer)
# RUNGROUP_CI_JOBS sets build and test parallelism (default 2).
set -eu
cd "$(dirname "$0")/.."

fuzz_seconds=60
while [ "$#" -gt 0 ]; do
    case "$1" in
        --fuzz-seconds) fuzz_seconds="$2"; shift 2 ;;
        *) echo "usage: scripts/ci.sh [--fuzz-seconds N]" >&2; exit 2 ;;
    esac
done
jobs="${RUNGROUP_CI_JOBS:-2}"
timings=""

# stage <name> <command...>: runs the command, records its wall time, stops on failure.
stage() {
    name="$1"
    shift
    echo "ci: === $name ==="
    start=$(date +%s)
    if "$@"; then
        status=ok
    else
        status=FAILED
    fi
    seconds=$(($(date +%s) - start))
    timings="$timings
ci:   $name: ${seconds} s ($status)"
    if [ "$status" != ok ]; then
        echo "ci: stage $name failed$timings" >&2
        exit 1
    fi
}

sanitized() {
    preset="$1"
    cmake --preset "$preset" &&
        cmake --build --preset "$preset" -j "$jobs" &&
        ctest --preset "$preset" -j "$jobs"
}

fuzz() {
    # The harness runs on a copy of the committed seed corpus; crashes land in build/fuzz.
    scripts/deps.sh --fuzz &&
        cmake --preset fuzz &&
        cmake --build --preset fuzz -j "$jobs" || return 1
    rm -rf build/fuzz/corpus && mkdir -p build/fuzz/corpus build/fuzz/artifacts
    ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        build/fuzz/tests/fuzz/rungroup-fuzz-schedule -max_total_time="$fuzz_seconds" \
        -timeout=120 -rss_limit_mb=4096 -print_final_stats=1 -handle_usr1=0 -handle_usr2=0 \
        -artifact_prefix=build/fuzz/artifacts/ build/fuzz/corpus tests/fuzz/corpus
}

stage test.sh scripts/test.sh
stage asan sanitized asan
stage tsan sanitized tsan
if [ "$fuzz_seconds" -gt 0 ]; then
    stage fuzz fuzz
fi
echo "ci: all stages passed$timings"
