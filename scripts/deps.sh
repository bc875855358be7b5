#!/bin/sh
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# Installs the Debian 12 packages RunGroup's build and tests need, only those missing.
# Runs apt-get as root, through sudo otherwise.
# Usage: scripts/deps.sh [--fuzz]   (--fuzz adds clang and libFuzzer, for preset "fuzz")
set -eu

# cmake, ninja-build, g++: the toolchain (CMakePresets.json uses Ninja).
# qt6-base-dev: Qt 6 Core, Network, Test, Concurrent and Widgets (examples/widgets) with
#   their CMake packages; it pulls in libgl-dev and the other headers its Qt6Gui package
#   config checks for.
# Only to regenerate the pictures in docs/images (not installed here): python3-matplotlib
#   (scripts/render-trace.py), xvfb, xauth and imagemagick (the widgets screenshot).
# qt6-base-private-dev: QThreadPrivate, to clear a reused actor thread's interruption
#   flag (src/threads/qthreadflag.cpp; without it, interrupted threads are retired, not reused).
# qt6-declarative-dev, qt6-declarative-dev-tools: the QML module (qt_add_qml_module,
#   qmltyperegistrar, qmllint, qmltestrunner); qml6-module-*: what the QML tests and
#   examples import (qml6-module-qtqml and -models: QtQml's .qmltypes, which qmllint needs).
# libsystemd-dev: sd_notify for the service notifier (a built-in fallback exists).
# valgrind: the memcheck tests (label valgrind); without it CMake leaves them out.
# doxygen: the API reference (target docs) and the test apidocs, which fails on any
#   undocumented public symbol; without it CMake leaves both out.
# qt6-documentation-tools: qhelpgenerator (/usr/lib/qt6/libexec), which turns the API
#   reference into RunGroup.qch for Qt Creator's help; without it only HTML is built.
#   (qt6-tools-dev-tools depends on it but adds Designer, Linguist and Assistant.)
# reuse: the licensing check, CTest test "reuse" (reuse lint); without it CMake leaves it out.
# qt6-httpserver-dev: QHttpServer for HealthEndpoint (target RunGroup::Http); its 6.4
#   package config also finds Qt6WebSockets, hence qt6-websockets-dev.
# prometheus: the real Prometheus server and promtool, for the tests healthprometheus
#   (a scrape of the headless example) and healthpromtool (promtool check metrics); without
#   them those tests are skipped with a reason. curl: the probe test's second HTTP client.
# --fuzz: clang (14) and libclang-rt-14-dev (its libFuzzer and sanitizer runtimes).
packages="cmake ninja-build g++ qt6-base-dev qt6-base-private-dev \
    qt6-declarative-dev qt6-declarative-dev-tools qml6-module-qttest \
    qml6-module-qtqml qml6-module-qtqml-models \
    qml6-module-qtquick qml6-module-qtquick-window qml6-module-qtquick-controls \
    qml6-module-qtquick-layouts qml6-module-qtquick-templates \
    qml6-module-qtqml-workerscript libsystemd-dev valgrind \
    doxygen qt6-documentation-tools reuse \
    qt6-httpserver-dev qt6-websockets-dev prometheus curl"
case "${1:-}" in
    "") ;;
    --fuzz) packages="$packages clang libclang-rt-14-dev" ;;
    *) echo "usage: scripts/deps.sh [--fuzz]" >&2; exit 2 ;;
esac

missing=""
for package in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    case "$status" in
        *" installed") ;;
        *) missing="$missing $package" ;;
    esac
done

if [ -z "$missing" ]; then
    echo "deps: all installed"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "deps: missing$missing; run this as root or install sudo" >&2
        exit 1
    fi
    sudo="sudo"
fi
echo "deps: installing$missing"
$sudo apt-get update -qq
# $missing is a list of package names: word splitting is intended.
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
