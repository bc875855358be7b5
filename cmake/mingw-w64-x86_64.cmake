# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
#
# Cross-compiling for 64-bit Windows with Debian's MinGW-w64 (g++-mingw-w64-x86-64-posix:
# the posix thread model, which std::thread and std::mutex need). Used by
# scripts/windows-check.sh for Qt and for RunGroup; docs/building.md, "Windows".
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(_rungroup_mingw x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${_rungroup_mingw}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_rungroup_mingw}-g++-posix)
set(CMAKE_RC_COMPILER ${_rungroup_mingw}-windres)
# The Qt prefix is added by the caller (CMAKE_FIND_ROOT_PATH on its command line adds to this).
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${_rungroup_mingw})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
