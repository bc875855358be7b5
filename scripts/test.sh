#!/bin/sh
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# Builds RunGroup (preset "default": RelWithDebInfo, build/default) and runs the whole
# test suite with CTest. Works on a fresh Debian 12 machine. Usage: scripts/test.sh
set -eu
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake --preset default
cmake --build --preset default
ctest --preset default
