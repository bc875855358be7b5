# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT

# rungroup_strict_options(<target> [LIBRARY])
# The warnings and Qt API restrictions every RunGroup target builds with, in one place.
# Every target gets -Wall -Wextra -pedantic, as errors in Debug builds (presets debug, asan,
# tsan), and the Qt macros that keep foreach and the "keywords" (signals, slots, emit) out.
# LIBRARY adds what the libraries themselves promise their users: no implicit conversions
# between QString and char data (so no code of ours depends on the codec), and
# QStringBuilder, and on ELF platforms full RELRO with symbols bound at load time
# (-z relro -z now), as Qt's own libraries are linked: the relocations are read-only, and a
# process's first run does not resolve each library call through the dynamic linker on the
# way (cycle(N) in bench/README.md).
function(rungroup_strict_options target)
    cmake_parse_arguments(ARG "LIBRARY" "" "" ${ARGN})
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE
            -Wall -Wextra -pedantic $<$<CONFIG:Debug>:-Werror>)
        if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND RUNGROUP_SANITIZE STREQUAL "thread")
            # GCC says that ThreadSanitizer does not support atomic_thread_fence, which Qt's
            # headers use (QtQml's generated code); not something our code can change.
            target_compile_options(${target} PRIVATE -Wno-tsan)
        endif()
    elseif(MSVC)
        target_compile_options(${target} PRIVATE /W4 /permissive- $<$<CONFIG:Debug>:/WX>)
    endif()
    target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS QT_NO_FOREACH)
    if(ARG_LIBRARY)
        target_compile_definitions(${target} PRIVATE
            QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING
            QT_NO_CAST_FROM_BYTEARRAY QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
            QT_USE_QSTRINGBUILDER)
        if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang" AND NOT APPLE AND NOT WIN32)
            target_link_options(${target} PRIVATE LINKER:-z,relro LINKER:-z,now)
        endif()
    endif()
endfunction()
