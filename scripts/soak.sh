#!/bin/sh
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# Runs a sanitizer preset's whole suite again and again on a loaded machine, to find what
# fails only sometimes (the CI gate must fail only when something is wrong). Builds the
# preset once, starts <load> busy processes (each keeps one core busy, at the suite's own
# priority), then runs `ctest --preset <preset>` <runs> times in a row and stops at the
# first failing run, printing scripts/ci.sh's summary of it. Logs: build/soak/<preset>-<n>.log.
#
# Usage: scripts/soak.sh [--preset tsan|asan|default] [--runs N] [--load L] [--jobs J]
#        (defaults: tsan, 20 runs, load 2 = every core of a 2-core machine, ctest -j 2)
set -eu
cd "$(dirname "$0")/.."

preset=tsan
runs=20
load=2
jobs=2
while [ "$#" -gt 0 ]; do
    case "$1" in
        --preset) preset="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --load) load="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        *) echo "usage: scripts/soak.sh [--preset P] [--runs N] [--load L] [--jobs J]" >&2; exit 2 ;;
    esac
done

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
mkdir -p build/soak

hogs=""
stop_hogs() {
    for pid in $hogs; do kill "$pid" 2>/dev/null || true; done
}
trap stop_hogs EXIT INT TERM
i=0
while [ "$i" -lt "$load" ]; do
    sh -c 'while :; do :; done' &
    hogs="$hogs $!"
    i=$((i + 1))
done

# The summary is scripts/ci.sh's own (one definition of "why it failed").
eval "$(sed -n '/^summarize() {/,/^}/p' scripts/ci.sh)"

run=1
while [ "$run" -le "$runs" ]; do
    log="build/soak/$preset-$run.log"
    start=$(date +%s)
    if ctest --preset "$preset" -j "$jobs" >"$log" 2>&1; then
        echo "soak: $preset run $run/$runs passed in $(($(date +%s) - start)) s (load $load)"
    else
        echo "soak: $preset run $run/$runs FAILED after $(($(date +%s) - start)) s (load $load)"
        summarize "$preset run $run" "$log"
        exit 1
    fi
    run=$((run + 1))
done
echo "soak: $runs consecutive $preset runs passed under load $load"
