// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The child program of tst_process, the same on every platform (it replaced /bin/sh
// scripts, so that the test runs on Windows too). Plain C++: no Qt, no RunGroup.
//   exit <code> [line...]  writes each line to stderr, then exits with code
//   crash                  crashes: POSIX SIGSEGV, Windows an access violation
//   sleep                  sleeps 600 s (POSIX: SIGTERM ends it)
//   stubborn <file>        ignores SIGTERM (Windows: a console program ignores WM_CLOSE
//                          anyway), creates file, then sleeps 600 s
//   env                    exits 4 unless RUNGROUP_TEST is "yes"
//   append <file>          appends the line "run" to file

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#endif

namespace {
void sleepLong()
{
    std::this_thread::sleep_for(std::chrono::seconds(600));
}

[[noreturn]] void crash()
{
#ifdef _WIN32
    // No error dialog and, under Wine, no debugger: the process just ends with the code.
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    RaiseException(EXCEPTION_ACCESS_VIOLATION, EXCEPTION_NONCONTINUABLE, 0, nullptr);
#else
    std::signal(SIGSEGV, SIG_DFL);
    std::raise(SIGSEGV);
#endif
    std::abort();
}
} // namespace

int main(int argc, char *argv[])
{
    if (argc < 2)
        return 64;
    const char *mode = argv[1];
#ifdef _WIN32
    _setmode(_fileno(stderr), _O_BINARY); // "\n", not "\r\n": the same text everywhere
#endif
    if (std::strcmp(mode, "exit") == 0 && argc >= 3) {
        for (int i = 3; i < argc; ++i)
            std::fprintf(stderr, "%s\n", argv[i]);
        std::fflush(stderr);
        return std::atoi(argv[2]);
    }
    if (std::strcmp(mode, "crash") == 0)
        crash();
    if (std::strcmp(mode, "sleep") == 0) {
        sleepLong();
        return 0;
    }
    if (std::strcmp(mode, "stubborn") == 0 && argc >= 3) {
#ifndef _WIN32
        std::signal(SIGTERM, SIG_IGN);
#endif
        if (FILE *file = std::fopen(argv[2], "w"))
            std::fclose(file);
        sleepLong();
        return 0;
    }
    if (std::strcmp(mode, "env") == 0) {
        const char *value = std::getenv("RUNGROUP_TEST");
        return value && std::strcmp(value, "yes") == 0 ? 0 : 4;
    }
    if (std::strcmp(mode, "append") == 0 && argc >= 3) {
        FILE *file = std::fopen(argv[2], "ab"); // binary: "\n" on every platform
        if (!file)
            return 2;
        std::fputs("run\n", file);
        std::fclose(file);
        return 0;
    }
    return 64;
}
