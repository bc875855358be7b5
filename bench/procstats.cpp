// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "procstats.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <dirent.h>
#include <sys/resource.h>

namespace {
// Entries of a /proc directory, without "." and "..". Plain POSIX calls: no allocation
// that could show up in what is being measured.
int countEntries(const char *path)
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

long readRssKiB()
{
    FILE *file = std::fopen("/proc/self/status", "r");
    if (!file)
        return -1;
    char line[256];
    long kib = -1;
    while (std::fgets(line, sizeof line, file)) {
        if (std::strncmp(line, "VmRSS:", 6) == 0) {
            kib = std::strtol(line + 6, nullptr, 10);
            break;
        }
    }
    std::fclose(file);
    return kib;
}
} // namespace

Bench::Usage Bench::currentUsage()
{
    Usage usage;
    // /proc/self/fd counts the descriptor opendir() holds while reading it; that one is
    // there in every reading, so differences are exact.
    usage.fds = countEntries("/proc/self/fd");
    usage.rssKiB = readRssKiB();
    return usage;
}

int Bench::threadCount()
{
    return countEntries("/proc/self/task");
}

bool Bench::waitForStableThreadCount(std::chrono::milliseconds stable,
                                     std::chrono::milliseconds limit)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto since = start;
    int last = threadCount();
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        const auto now = Clock::now();
        const int count = threadCount();
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

long Bench::raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur == RLIM_INFINITY ? -1 : long(limit.rlim_cur);
}
