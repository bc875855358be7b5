#!/bin/bash
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# Builds RunGroup and its QML-free test suite for 64-bit Windows with MinGW-w64 and runs
# every test under Wine, on a Debian 12 machine (docs/building.md, "Windows").
#
#  1. Installs what is missing, from Debian packages: g++-mingw-w64-x86-64-posix,
#     mingw-w64-tools, wine64, dpkg-dev (apt-get source), and the Linux Qt's host tools
#     (qt6-base-dev, qt6-base-dev-tools: moc, rcc, syncqt of the same Qt 6.4.2).
#  2. Once, cached: fetches Debian's own qt6-base source (apt-get source, through a private
#     apt configuration with a deb-src entry: /etc/apt is not touched), cross-builds Qt
#     Core, Concurrent, Network and Test (no GUI) and installs it under
#     $RUNGROUP_WINDOWS_QT (default ~/.cache/rungroup-windows-qt/6.4.2). A rerun finds it
#     and skips this step.
#  3. Builds RunGroup, its tests and test helpers against that Qt (build/windows, or
#     $RUNGROUP_WINDOWS_BUILD).
#  4. Runs each test executable under Wine (a scratch WINEPREFIX), one after the other,
#     and ends with exactly one line "N passed, M failed" (N and M count executables).
#     Exits 1 when M > 0.
#
# Usage: scripts/windows-check.sh [test-name...]   (e.g. tst_runerror; default: all)
# Environment: RUNGROUP_WINDOWS_QT (the Qt install prefix), RUNGROUP_WINDOWS_BUILD,
#   RUNGROUP_WINDOWS_JOBS (build parallelism, default 2), RUNGROUP_WINDOWS_TIMEOUT
#   (seconds per test executable, default 600), WINEPREFIX (default: a scratch one under
#   the build directory).
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$PWD

qt_version=6.4.2
qt_prefix=${RUNGROUP_WINDOWS_QT:-$HOME/.cache/rungroup-windows-qt/$qt_version}
build_dir=${RUNGROUP_WINDOWS_BUILD:-$source_dir/build/windows}
jobs=${RUNGROUP_WINDOWS_JOBS:-2}
test_timeout=${RUNGROUP_WINDOWS_TIMEOUT:-600}
toolchain=$source_dir/cmake/mingw-w64-x86_64.cmake
wine=/usr/lib/wine/wine64 # Debian's wine64 does not put its loader on PATH
mingw_gcc_dir=/usr/lib/gcc/x86_64-w64-mingw32/12-posix

stage_start=$(date +%s)
stage() {
    local now
    now=$(date +%s)
    echo "windows-check: [$((now - stage_start)) s] $*"
}

# 1. Packages. The host tools must be the Linux Qt of the same version as the source.
packages="g++-mingw-w64-x86-64-posix mingw-w64-tools wine64 dpkg-dev cmake ninja-build \
    qt6-base-dev qt6-base-dev-tools"
missing=""
for package in $packages; do
    case "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" in
        *" installed") ;;
        *) missing="$missing $package" ;;
    esac
done
if [ -n "$missing" ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || {
            echo "windows-check: missing$missing; run as root or install sudo" >&2
            exit 1
        }
        sudo="sudo"
    fi
    stage "installing$missing"
    $sudo apt-get update -qq
    # $missing is a list of package names: word splitting is intended.
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        $missing >/tmp/rungroup-windows-apt.log 2>&1 ||
        { tail -n 40 /tmp/rungroup-windows-apt.log; exit 1; }
fi
host_qt=$(dpkg-query -W -f='${Version}' qt6-base-dev-tools)
case "$host_qt" in
    "$qt_version"+*) ;;
    *) echo "windows-check: the host Qt is $host_qt, not $qt_version" >&2; exit 1 ;;
esac

# 2. Qt for Windows, unless cached. The marker is written last, so an interrupted build
#    is redone.
if [ ! -f "$qt_prefix/.rungroup-complete" ]; then
    work=$(dirname "$qt_prefix")/work-$qt_version
    rm -rf "$work"
    mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/apt/parts" \
        "$work/src"
    # A private apt configuration: bookworm's deb-src, its own lists and caches.
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
        "http://deb.debian.org/debian bookworm main" >"$work/apt/sources.list"
    apt_options=(-o "Dir::Etc::sourcelist=$work/apt/sources.list"
        -o "Dir::Etc::sourceparts=$work/apt/parts"
        -o "Dir::State::Lists=$work/apt/lists"
        -o "Dir::Cache=$work/apt/cache"
        -o "APT::Sandbox::User=root")
    stage "fetching Debian's qt6-base source"
    apt-get "${apt_options[@]}" update -qq
    (cd "$work/src" && apt-get "${apt_options[@]}" source -qq qt6-base >/dev/null)
    qt_source=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d -name "qt6-base-*" | head -n 1)
    [ -n "$qt_source" ] || { echo "windows-check: apt-get source gave no qt6-base" >&2; exit 1; }

    stage "configuring Qt $qt_version for Windows ($qt_source)"
    # Host tools from the installed Linux Qt; no GUI, no system libraries (zlib, pcre2 and
    # double-conversion bundled); only Core, Concurrent, Network and Test matter.
    cmake -S "$qt_source" -B "$work/build" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$qt_prefix" \
        -DQT_HOST_PATH=/usr \
        -DQT_HOST_PATH_CMAKE_DIR=/usr/lib/x86_64-linux-gnu/cmake \
        -DQT_BUILD_TESTS=OFF -DQT_BUILD_EXAMPLES=OFF \
        -DFEATURE_gui=OFF -DFEATURE_widgets=OFF -DFEATURE_sql=OFF -DFEATURE_dbus=OFF \
        -DFEATURE_opengl=OFF -DFEATURE_printsupport=OFF -DFEATURE_xml=OFF \
        -DFEATURE_openssl=OFF -DFEATURE_zstd=OFF -DFEATURE_icu=OFF -DFEATURE_glib=OFF \
        -DFEATURE_system_zlib=OFF -DFEATURE_system_pcre2=OFF \
        -DFEATURE_system_doubleconversion=OFF >"$work/configure.log" 2>&1 ||
        { tail -n 40 "$work/configure.log"; exit 1; }
    stage "building Qt (every module configured: cmake --install needs them all)"
    nice -n 10 cmake --build "$work/build" --parallel "$jobs" >"$work/build.log" 2>&1 ||
        { tail -n 40 "$work/build.log"; exit 1; }
    rm -rf "$qt_prefix"
    cmake --install "$work/build" >"$work/install.log" 2>&1 ||
        { tail -n 40 "$work/install.log"; exit 1; }
    touch "$qt_prefix/.rungroup-complete"
    rm -rf "$work"
    stage "Qt installed in $qt_prefix"
else
    stage "Qt for Windows cached in $qt_prefix"
fi

# 3. RunGroup with its tests (QML needs Qt Quick, not built: left out).
stage "building RunGroup for Windows in $build_dir"
launcher=()
if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$source_dir" -B "$build_dir" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_PREFIX_PATH="$qt_prefix" \
    -DCMAKE_FIND_ROOT_PATH="$qt_prefix" \
    -DQT_HOST_PATH=/usr \
    -DQT_HOST_PATH_CMAKE_DIR=/usr/lib/x86_64-linux-gnu/cmake \
    -DRUNGROUP_BUILD_TESTS=ON -DRUNGROUP_BUILD_EXAMPLES=OFF -DRUNGROUP_BUILD_BENCHMARKS=OFF \
    -DRUNGROUP_BUILD_QML=OFF -DRUNGROUP_BUILD_DOCS=OFF "${launcher[@]}" \
    >"$build_dir.configure.log" 2>&1 || { tail -n 40 "$build_dir.configure.log"; exit 1; }
nice -n 10 cmake --build "$build_dir" --parallel "$jobs" >"$build_dir.build.log" 2>&1 ||
    { grep -E "error|Error" "$build_dir.build.log" | head -n 40; exit 1; }

# 4. The tests under Wine. CTest's list gives the executables, their arguments and their
#    order; each runs from its build folder, as under CTest.
export WINEPREFIX=${WINEPREFIX:-$build_dir/wineprefix}
export WINEDEBUG=-all
# A crashing child (tst_process) would start winedbg, which prints pages and takes seconds.
export WINEDLLOVERRIDES="winedbg.exe=d"
# Wine maps drive Z: to /: a Unix path is Z: and the path with backslashes.
windows_path() { printf 'Z:%s' "${1//\//\\}"; }
WINEPATH="$(windows_path "$qt_prefix/bin");$(windows_path "$mingw_gcc_dir")"
WINEPATH="$WINEPATH;$(windows_path /usr/x86_64-w64-mingw32/lib);$(windows_path "$build_dir/src")"
export WINEPATH
export QT_QPA_PLATFORM=offscreen
if [ ! -d "$WINEPREFIX" ]; then
    stage "creating the Wine prefix $WINEPREFIX"
    "$wine" wineboot --init >/dev/null 2>&1 || true
fi

selected=("$@")
tests=()
while IFS= read -r executable; do
    name=$(basename "$executable" .exe)
    if [ ${#selected[@]} -gt 0 ]; then
        case " ${selected[*]} " in
            *" $name "*) ;;
            *) continue ;;
        esac
    fi
    tests+=("$executable")
done < <(find "$build_dir/tests" -name 'tst_*.exe' -type f | sort)

passed=0
failed=0
failures=""
log_dir=$build_dir/wine-logs
mkdir -p "$log_dir"
for executable in "${tests[@]}"; do
    name=$(basename "$executable" .exe)
    start=$(date +%s)
    status=0
    rm -f "$log_dir/$name.log"
    # Qt Test's own log goes to a file (-o): under Wine its standard output may be lost.
    # Wine reads the Unix path as one on drive Z:, which is /.
    (cd "$(dirname "$executable")" &&
        timeout --kill-after=10 "$test_timeout" "$wine" "$executable" \
            -o "$log_dir/$name.log,txt" >"$log_dir/$name.output" 2>&1) || status=$?
    totals=$(grep -E "^Totals:" "$log_dir/$name.log" 2>/dev/null | tail -n 1 || true)
    if [ "$status" -eq 0 ]; then
        passed=$((passed + 1))
        echo "windows-check: PASS $name ($(($(date +%s) - start)) s) $totals"
    else
        failed=$((failed + 1))
        failures="$failures $name"
        echo "windows-check: FAIL $name (exit $status, $(($(date +%s) - start)) s) $totals"
        grep -E "^(FAIL!|   Loc:|   Actual|   Expected|QFATAL)" "$log_dir/$name.log" |
            head -n 20 | sed 's/^/    /' || true
    fi
done
stage "done; logs in $log_dir${failures:+; failed:$failures}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
