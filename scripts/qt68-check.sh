#!/bin/sh
# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# Builds RunGroup and runs its whole test suite (QML included) against Debian trixie's
# Qt 6.8 (CMake 3.31, g++ 14), in a Debian trixie chroot made with debootstrap.
# Ends with a line "N passed, M failed"; exits non-zero when a step or a test fails.
#
# Usage: scripts/qt68-check.sh          (as root, or through sudo)
#   RUNGROUP_TRIXIE_ROOT    the chroot, kept between runs (default ~/.cache/rungroup-trixie):
#                           a rerun only refreshes the source copy and rebuilds the project
#   RUNGROUP_TRIXIE_MIRROR  the Debian mirror (default http://deb.debian.org/debian)
#   RUNGROUP_TRIXIE_FRESH=1 removes a cached chroot first
#
# The host's apt configuration is never touched: debootstrap is installed from the host's
# own Debian repositories when missing; everything else is installed inside the chroot,
# by scripts/deps.sh, with the chroot's own apt. /proc, /dev and /dev/pts are
# bind-mounted while the script runs and unmounted on exit. The source tree (the files
# git tracks and untracked ones it does not ignore, never build/) is copied to /src in
# the chroot, changed files only; the build directory is /build in the chroot.
set -eu
cd "$(dirname "$0")/.."

root=${RUNGROUP_TRIXIE_ROOT:-${HOME:-/root}/.cache/rungroup-trixie}
mirror=${RUNGROUP_TRIXIE_MIRROR:-http://deb.debian.org/debian}
jobs=${RUNGROUP_JOBS:-2}

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        exec sudo RUNGROUP_TRIXIE_ROOT="$root" RUNGROUP_TRIXIE_MIRROR="$mirror" \
            RUNGROUP_TRIXIE_FRESH="${RUNGROUP_TRIXIE_FRESH:-}" RUNGROUP_JOBS="$jobs" "$0" "$@"
    fi
    echo "qt68-check: needs root (debootstrap, chroot, mount); install sudo or run as root" >&2
    exit 1
fi

log() { echo "qt68-check: $*"; }
started=$(date +%s)
elapsed() { echo "$(($(date +%s) - started)) s"; }

mounted=""
cleanup() {
    for point in $mounted; do
        umount "$point" 2>/dev/null || umount -l "$point" 2>/dev/null || true
    done
    mounted=""
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Mounts $1 onto the chroot's $2, once; unmounted in reverse order by cleanup.
bind() {
    target="$root$2"
    mkdir -p "$target"
    if ! mountpoint -q "$target"; then
        mount --bind "$1" "$target"
        mounted="$target $mounted"
    fi
}

if [ -n "${RUNGROUP_TRIXIE_FRESH:-}" ] && [ -d "$root" ]; then
    log "removing the cached chroot $root"
    for point in dev/pts dev proc; do
        if mountpoint -q "$root/$point"; then umount "$root/$point"; fi
    done
    rm -rf --one-file-system "$root"
fi

# 1. The chroot: debootstrap once; the marker says it completed.
if [ ! -f "$root/.rungroup-bootstrapped" ]; then
    if ! command -v debootstrap >/dev/null 2>&1; then
        log "installing debootstrap (host's Debian repositories)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
    fi
    log "debootstrap trixie into $root ($mirror)"
    rm -rf --one-file-system "$root"
    mkdir -p "$root"
    debootstrap --variant=minbase trixie "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
        tail -n 30 "$root.debootstrap.log" >&2
        exit 1
    }
    mv "$root.debootstrap.log" "$root/debootstrap.log"
    touch "$root/.rungroup-bootstrapped"
    log "chroot ready after $(elapsed)"
fi

bind /proc /proc
bind /dev /dev
bind /dev/pts /dev/pts
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

in_chroot() {
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
        LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive CCACHE_DIR=/ccache "$@"
}

# 2. The packages: the same list as on Debian 12, installed by the same script; it only
# installs what is missing, so a rerun costs one dpkg-query per package. apt-get update
# runs only when something is missing.
cp scripts/deps.sh "$root/deps.sh"
if ! in_chroot sh -c 'sh /deps.sh' >"$root/deps.log" 2>&1; then
    tail -n 30 "$root/deps.log" >&2
    exit 1
fi
# Besides: ccache, the compiler cache in the chroot (/ccache), which makes a rebuild after a
# change of flags cheap; git, for the test reuse, which lints a git checkout only.
if ! in_chroot sh -c 'command -v ccache >/dev/null && command -v git >/dev/null ||
    apt-get install -y -qq --no-install-recommends ccache git' \
    >>"$root/deps.log" 2>&1; then
    tail -n 30 "$root/deps.log" >&2
    exit 1
fi
tail -n 1 "$root/deps.log"
# shellcheck disable=SC2016 # ${Version} is dpkg-query's, not the shell's
qt=$(in_chroot dpkg-query -W -f='${Version}' qt6-base-dev)
log "packages ready after $(elapsed): Qt $qt, $(in_chroot cmake --version | head -n 1), \
$(in_chroot g++ --version | head -n 1)"

# 3. The source, in /src, kept between runs: a file is rewritten only when its content
# differs (it then gets the current time, so ninja rebuilds what depends on it, even when
# the tree went back to an older version), and files no longer in the tree are removed.
# What is copied: the files git tracks and untracked ones it does not ignore (never
# build/), or, outside a git checkout, everything but build/.
mkdir -p "$root/src"
list="$root/src-files.new"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard
else
    find . -path ./build -prune -o -path ./.git -prune -o -type f -print | sed 's|^\./||'
fi | while IFS= read -r file; do if [ -f "$file" ]; then echo "$file"; fi; done |
    sort >"$list"
(cd "$root/src" && find . -path ./.git -prune -o -type f -print | sed 's|^\./||' | sort) |
    comm -23 - "$list" | while IFS= read -r file; do rm -f "$root/src/$file"; done
while IFS= read -r file; do
    if ! cmp -s "$file" "$root/src/$file"; then
        mkdir -p "$root/src/$(dirname "$file")"
        cp "$file" "$root/src/$file"
    fi
done <"$list"
rm -f "$list"
# A repository of its own, nothing committed: what reuse asks git (which files are
# ignored) then has the tree's own answer. The build directory is outside it.
in_chroot git init -q /src

# 4. Configure, build and test, as the preset "default" does (RelWithDebInfo, Ninja).
log "configure"
if ! in_chroot cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRUNGROUP_BUILD_TESTS=ON -DRUNGROUP_BUILD_EXAMPLES=ON -DRUNGROUP_BUILD_BENCHMARKS=ON \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    >"$root/configure.log" 2>&1; then
    tail -n 40 "$root/configure.log" >&2
    exit 1
fi
grep -E "Qt's private headers|Interrupted thread reuse|CMake Warning|QTP0" "$root/configure.log" || true
log "build"
if ! in_chroot nice -n 10 cmake --build /build --parallel "$jobs" >"$root/build.log" 2>&1; then
    grep -E "error|FAILED" "$root/build.log" | head -n 40 >&2
    exit 1
fi
grep -iE "warning" "$root/build.log" | head -n 20 || true
log "built after $(elapsed); ctest"
status=0
in_chroot sh -c 'cd /build && QT_QPA_PLATFORM=offscreen ctest --output-on-failure \
    --no-tests=error' >"$root/ctest.log" 2>&1 || status=$?
grep -E "^ *[0-9]+/[0-9]+ Test|tests passed|Total Test time" "$root/ctest.log"
if [ "$status" -ne 0 ]; then
    sed -n '/The following tests FAILED/,$p' "$root/ctest.log" >&2
fi
log "finished after $(elapsed); logs in $root (deps.log, configure.log, build.log, ctest.log)"
summary=$(grep -E "tests passed, [0-9]+ tests failed out of" "$root/ctest.log" | tail -n 1)
total=$(echo "$summary" | sed -E 's/.*out of ([0-9]+).*/\1/')
failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests failed.*/\1/')
if [ -z "$summary" ]; then
    echo "0 passed, 1 failed"
    exit 1
fi
echo "$((total - failed)) passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
