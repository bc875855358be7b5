#!/bin/sh
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# CI: the README's test command (scripts/test.sh: deps, preset default, the whole suite),
# then the whole suite again under AddressSanitizer + UBSan (preset asan) and under
# ThreadSanitizer (preset tsan), where any sanitizer report fails its test, then the
# schedule fuzzer (preset fuzz, clang) for a bounded time, then the Windows check
# (scripts/windows-check.sh: MinGW-w64 and Wine). Prints each stage's wall time.
#
# Usage: scripts/ci.sh [--fuzz-seconds N] [--no-windows]   (fuzz default 60; 0 skips it)
# RUNGROUP_CI_JOBS sets build and test parallelism (default 2).
set -eu
cd "$(dirname "$0")/.."

fuzz_seconds=60
windows=1
while [ "$#" -gt 0 ]; do
    case "$1" in
        --fuzz-seconds) fuzz_seconds="$2"; shift 2 ;;
        --no-windows) windows=0; shift ;;
        *) echo "usage: scripts/ci.sh [--fuzz-seconds N] [--no-windows]" >&2; exit 2 ;;
    esac
done
jobs="${RUNGROUP_CI_JOBS:-2}"
timings=""

# stage <name> <command...>: runs the command, records its wall time, stops on failure.
# The stage's output goes to the terminal and to build/ci-logs/<name>.log; when it fails,
# the reason is repeated at the end (see summarize), where it is read first.
stage() {
    name="$1"
    shift
    echo "ci: === $name ==="
    mkdir -p build/ci-logs
    log="build/ci-logs/$name.log"
    start=$(date +%s)
    # The pipe through tee hides the command's status: it goes through a file (none, when
    # errexit ends the group early: that counts as failed too).
    rm -f "$log.status"
    { "$@"; echo $? > "$log.status"; } 2>&1 | tee "$log"
    if [ "$(cat "$log.status" 2>/dev/null)" = 0 ]; then
        status=ok
    else
        status=FAILED
    fi
    seconds=$(($(date +%s) - start))
    timings="$timings
ci:   $name: ${seconds} s ($status)"
    if [ "$status" != ok ]; then
        summarize "$name" "$log" >&2
        echo "ci: stage $name failed$timings" >&2
        exit 1
    fi
}

# summarize <name> <log>: the failed tests, then the first failed check and the first
# sanitizer report (its headline, the first frames and its SUMMARY line) in the log.
summarize() {
    echo "ci: ---- why stage $1 failed (whole log: $2) ----"
    sed -n '/The following tests FAILED:/,/^Errors while running CTest/p' "$2"
    grep -m 1 -A 1 '^FAIL!' "$2" || true
    awk '
        /WARNING: ThreadSanitizer:|ERROR: AddressSanitizer:|ERROR: LeakSanitizer:|runtime error:/ {
            if (!seen) { seen = 1; frames = 0; print; next }
        }
        seen == 1 && /^  [A-Z]/ { print; frames = 0; next }
        seen == 1 && /^ *#[0-9]/ && frames < 4 { print; frames++; next }
        seen == 1 && /^SUMMARY: / { print; seen = 2; exit }
    ' "$2"
    grep -m 3 -E '^ci: |error: |Error [0-9]+$|FAILED: ' "$2" || true
    echo "ci: ----"
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
# Windows: MinGW-w64 builds of Qt (cached in ~/.cache) and of the QML-free suite, run
# under Wine (docs/building.md); about 25 minutes on a fresh machine, 2 to 7 once Qt is
# cached. --no-windows skips it.
if [ "$windows" -eq 1 ]; then
    stage windows scripts/windows-check.sh
fi
echo "ci: all stages passed$timings"
