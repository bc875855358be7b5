// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// What this process holds right now, read from /proc (Linux): for tests that check that
// threads and file descriptors return to a baseline, and for the benchmark (bench/), which
// charges threads, descriptors and memory to the actors it runs. The counts are plain POSIX
// calls: no allocation that could show up in what is being measured.

#pragma once

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QStringList>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <dirent.h>

// Returns the number of entries of a /proc directory, without "." and "..", or -1.
inline int procEntryCount(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir)
        return -1;
    int count = 0;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] != '.')
            ++count;
    }
    closedir(dir);
    return count;
}

// Returns the number of threads of this process (entries of /proc/self/task: those still
// exiting included).
inline int processThreadCount()
{
    return procEntryCount("/proc/self/task");
}

// Returns the number of open file descriptors of this process (the one used to list them
// included: it is there in every reading, so differences are exact).
inline int processFdCount()
{
    return procEntryCount("/proc/self/fd");
}

// Returns the value of a "Name:   N kB" line of /proc/self/status (field "VmRSS",
// "VmSize", …) in KiB, or -1.
inline long processStatusKiB(const char *field)
{
    FILE *file = std::fopen("/proc/self/status", "r");
    if (!file)
        return -1;
    const size_t length = std::strlen(field);
    char line[256];
    long kib = -1;
    while (std::fgets(line, sizeof line, file)) {
        if (std::strncmp(line, field, length) == 0 && line[length] == ':') {
            kib = std::strtol(line + length + 1, nullptr, 10);
            break;
        }
    }
    std::fclose(file);
    return kib;
}

// Returns what each open file descriptor refers to ("3 -> anon_inode:[eventfd]", …): for
// the message of a failed fd count check.
inline QStringList processFdTargets()
{
    QStringList result;
    const QDir dir(QStringLiteral("/proc/self/fd"));
    for (const QString &name :
         dir.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
        result.append(name + QStringLiteral(" -> ")
                      + QFileInfo(dir.filePath(name)).symLinkTarget());
    }
    return result;
}

// Waits until processThreadCount() has not changed for `stable`, so that threads that are
// still exiting are not counted as there. Gives up after `limit`; returns whether the
// count settled.
inline bool waitForStableThreadCount(std::chrono::milliseconds stable,
                                     std::chrono::milliseconds limit)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto since = start;
    int last = processThreadCount();
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        const auto now = Clock::now();
        const int count = processThreadCount();
        if (count != last) {
            last = count;
            since = now;
        } else if (now - since >= stable) {
            return true;
        }
        if (now - start >= limit)
            return false;
    }
}
