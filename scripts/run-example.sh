#!/bin/sh
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# Builds and runs examples/headless, a service skeleton (signal handler, TCP server,
# worker thread). Works on a fresh Debian 12 machine.
# Usage: scripts/run-example.sh [options]   (default: --duration 3000; see --help)
# Without options it ends by itself after 3 s; press Ctrl+C to end it sooner.
set -eu
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake --preset default
cmake --build --preset default --target rungroup-headless
if [ "$#" -eq 0 ]; then
    set -- --duration 3000
fi
exec build/default/examples/headless/rungroup-headless "$@"
