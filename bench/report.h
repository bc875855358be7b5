// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_BENCH_REPORT_H
#define RUNGROUP_BENCH_REPORT_H

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdio>

// What the parent process does with the children's figures.
namespace Bench {

// One figure of one child process.
struct Sample
{
    QString impl;     // rungroup, stdthread, qthread, parked, go
    QString scenario; // cycle, latency, rerun, memory
    int n = 0;
    int rep = 0;
    double value = 0;
    QString unit;      // ns, KiB/actor, fds/actor
    uint stackKiB = 0; // the actors' stack the child was given; 0: the platform's
};

struct Implementation
{
    QString name;  // as on the command line and in the CSV
    QString label; // as in the table
};

// "256 KiB", or "platform default (0)" for 0.
QString stackLabel(uint stackKiB);

double median(QList<double> values);
// The nearest-rank 90th percentile: the smallest value at least 90% of them do not exceed.
double percentile90(QList<double> values);

// Prints one Markdown table per stack size, under a heading that names it: a row per
// scenario, N (and unit, for memory), the median and p90 of each implementation, and the
// ratio of each median to reference's.
void printTables(std::FILE *out, const QList<Sample> &samples,
                 const QList<Implementation> &implementations, const QString &reference,
                 const QStringList &scenarios, const QList<int> &sizes,
                 const QList<uint> &stacksKiB);

// The four targets (bench/README.md), one line each: met, NOT MET or not measured
// (with the cells that are missing), and the worst cell with its ratio. From the medians of
// the samples given, whatever they measured.
QStringList targetLines(const QList<Sample> &samples);

// Writes every sample: impl,scenario,N,rep,value,unit,stack. Returns false on a write
// error.
bool writeCsv(const QString &path, const QList<Sample> &samples);

} // namespace Bench

#endif // RUNGROUP_BENCH_REPORT_H
