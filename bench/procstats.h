// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_BENCH_PROCSTATS_H
#define RUNGROUP_BENCH_PROCSTATS_H

#include <chrono>

// What the benchmark reads about its own process from /proc (Linux only).
namespace Bench {

struct Usage
{
    long rssKiB = 0; // VmRSS of /proc/self/status
    int fds = 0;     // entries of /proc/self/fd
};

Usage currentUsage();

// Entries of /proc/self/task: the process's threads, those still exiting included.
int threadCount();

// Waits until threadCount() has not changed for `stable`, so that threads of an earlier
// run that are still exiting are not charged to the next one. Gives up after `limit`;
// returns whether the count settled.
bool waitForStableThreadCount(std::chrono::milliseconds stable, std::chrono::milliseconds limit);

// Raises the soft limit of open files to the hard limit; returns the soft limit now.
long raiseFileLimit();

} // namespace Bench

#endif // RUNGROUP_BENCH_PROCSTATS_H
