// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// rungroup-bench: RunGroup against two hand-written baselines, each repetition of each
// implementation in a fresh child process. See bench/README.md.

#include "baseline_qthread.h"
#include "baseline_stdthread.h"
#include "driver.h"
#include "report.h"

#include <RunGroup/RunGroup>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>

#include <cstdio>
#include <exception>
#include <optional>

#include <sys/resource.h>

namespace {
using Bench::Figure;
using Bench::Scenario;

using Measure = std::vector<Figure> (*)(Scenario scenario, int actors, uint stackSize);

struct Entry
{
    Bench::Implementation implementation;
    Measure measure;
};

// In this order in the table; the std::thread baseline is the reference of the ratios.
const Entry entries[] = {
    {{QStringLiteral("rungroup"), QStringLiteral("RunGroup")}, &Bench::measure<RunGroup>},
    {{QStringLiteral("stdthread"), QStringLiteral("std::thread")},
     &Bench::measure<Bench::StdThreadGroup<RunError>>},
    {{QStringLiteral("qthread"), QStringLiteral("QThread")},
     &Bench::measure<Bench::QThreadGroup<RunError>>},
};
const QString reference = QStringLiteral("stdthread");

const struct
{
    Scenario scenario;
    const char *name;
} scenarioNames[] = {{Scenario::Cycle, "cycle"},
                     {Scenario::Latency, "latency"},
                     {Scenario::Rerun, "rerun"},
                     {Scenario::Memory, "memory"}};

std::optional<Scenario> scenarioNamed(const QString &name)
{
    for (const auto &s : scenarioNames) {
        if (name == QLatin1String(s.name))
            return s.scenario;
    }
    return std::nullopt;
}

// Raises the soft limit of open files to the hard limit; returns the soft limit now.
long raiseFileLimit()
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

// A child never runs longer than this: 10,000 QThreads take tens of seconds here.
constexpr int childTimeoutMs = 15 * 60 * 1000;

// --child <impl> <scenario> <N>: measures once, prints "figure <value> <unit>" lines.
int childMain(const QStringList &args, uint stackSize)
{
    const Entry *entry = nullptr;
    for (const Entry &e : entries) {
        if (args.value(0) == e.implementation.name)
            entry = &e;
    }
    const std::optional<Scenario> scenario = scenarioNamed(args.value(1));
    bool ok = false;
    const int n = args.value(2).toInt(&ok);
    if (args.size() != 3 || !entry || !scenario || !ok || n < 1) {
        std::fprintf(stderr, "rungroup-bench: usage: --child <impl> <scenario> <N>\n");
        return 2;
    }
    // A QThread holds an eventfd (PERF-NOTES.md): 10,000 of them need more than 1024.
    const long files = raiseFileLimit();
    if (files >= 0 && files < n + 64)
        std::fprintf(stderr, "rungroup-bench: open-file limit %ld may be too low for %d actors\n",
                     files, n);
    std::vector<Figure> figures;
    try {
        figures = entry->measure(*scenario, n, stackSize);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "rungroup-bench: %s: %s\n", qPrintable(args.join(QLatin1Char(' '))),
                     e.what());
        return 1;
    }
    for (const Figure &figure : figures)
        std::printf("figure %.10g %s\n", figure.value, figure.unit);
    return std::fflush(stdout) == 0 ? 0 : 1;
}

// Runs one child; returns its figures, or nothing (with a message) when it failed.
std::optional<QList<Bench::Sample>> runChild(const QString &impl, const QString &scenario, int n,
                                             int rep, uint stackSize)
{
    const QStringList args = {QStringLiteral("--child"),
                              impl,
                              scenario,
                              QString::number(n),
                              QStringLiteral("--stack-size"),
                              QString::number(stackSize / 1024)};
    const QString what = impl + QLatin1Char(' ') + scenario + QLatin1Char('(') + QString::number(n)
                         + QLatin1Char(')');
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(QCoreApplication::applicationFilePath(), args);
    if (!process.waitForFinished(childTimeoutMs)) {
        std::fprintf(stderr, "rungroup-bench: %s: %s\n", qPrintable(what),
                     qPrintable(process.errorString()));
        process.kill();
        process.waitForFinished();
        return std::nullopt;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        std::fprintf(stderr, "rungroup-bench: %s: the child failed (%s, exit code %d)\n",
                     qPrintable(what),
                     process.exitStatus() == QProcess::NormalExit ? "exited" : "crashed",
                     process.exitCode());
        return std::nullopt;
    }
    QList<Bench::Sample> samples;
    const QList<QByteArray> lines = process.readAllStandardOutput().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        bool ok = false;
        const double value = fields.value(1).toDouble(&ok);
        if (fields.size() == 3 && fields[0] == "figure" && ok)
            samples.append({impl, scenario, n, rep, value, QString::fromUtf8(fields[2])});
    }
    if (samples.isEmpty()) {
        std::fprintf(stderr, "rungroup-bench: %s: the child printed no figure\n", qPrintable(what));
        return std::nullopt;
    }
    return samples;
}

std::optional<QList<int>> parseSizes(const QString &text)
{
    QList<int> sizes;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = part.trimmed().toInt(&ok);
        if (!ok || n < 1)
            return std::nullopt;
        sizes.append(n);
    }
    if (sizes.isEmpty())
        return std::nullopt;
    return sizes;
}

QList<Bench::Implementation> implementations()
{
    QList<Bench::Implementation> list;
    for (const Entry &e : entries)
        list.append(e.implementation);
    return list;
}

// Every repetition of every implementation in a fresh process, the implementations in a
// rotating order, so that neither a previous run's teardown nor the machine's drift
// favours one of them (bench/README.md). Counts the children that failed in *failures.
QList<Bench::Sample> runAll(const QStringList &scenarios, const QList<int> &sizes, int reps,
                            uint stackSize, int *failures)
{
    const QList<Bench::Implementation> impls = implementations();
    const int count = int(impls.size());
    QList<Bench::Sample> samples;
    for (const QString &scenario : scenarios) {
        for (int n : sizes) {
            QElapsedTimer timer;
            timer.start();
            for (int rep = 0; rep < reps; ++rep) {
                for (int k = 0; k < count; ++k) {
                    const QString &impl = impls[(rep + k) % count].name;
                    if (const auto figures = runChild(impl, scenario, n, rep, stackSize))
                        samples.append(*figures);
                    else
                        ++*failures;
                }
            }
            std::fprintf(stderr, "rungroup-bench: %s(%d): %d × %d processes, %.2f s\n",
                         qPrintable(scenario), n, reps, count, double(timer.elapsed()) / 1000);
        }
    }
    return samples;
}

QCommandLineOption option(const char *name, const char *description, const char *valueName = "")
{
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(description),
                              QString::fromLatin1(valueName));
}

int fail(const QString &message)
{
    std::fprintf(stderr, "rungroup-bench: %s\n", qPrintable(message));
    return 2;
}
} // namespace

int main(int argc, char *argv[])
{
    // Children need it: RunGroup's run() spins an event loop on the group's thread.
    QCoreApplication app(argc, argv);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Measures RunGroup against std::thread and QThread baselines; prints a Markdown table "
        "of medians (p90) and ratios to std::thread. Each repetition of each implementation "
        "runs in a fresh child process. See bench/README.md."));
    parser.addHelpOption();
    const QCommandLineOption sizesOption =
        option("sizes", "Actor counts (default 1,10,100,1000,10000).", "N,N,...");
    const QCommandLineOption repsOption =
        option("reps", "Repetitions per figure (default 5).", "R");
    const QCommandLineOption scenariosOption =
        option("scenarios", "Scenarios (default cycle,latency,rerun,memory).", "S,S,...");
    const QCommandLineOption stackOption = option(
        "stack-size", "Stack of every actor thread (default 256; 0: the platform's).", "KiB");
    const QCommandLineOption csvOption = option("csv", "Write every raw sample to FILE.", "FILE");
    const QCommandLineOption quickOption =
        option("quick", "Sizes 1,10 and one repetition: checks that the harness works.");
    const QCommandLineOption childOption =
        option("child", "Internal: measure <impl> <scenario> <N> once in this process.");
    parser.addOptions({sizesOption, repsOption, scenariosOption, stackOption, csvOption,
                       quickOption, childOption});
    parser.addPositionalArgument(QStringLiteral("args"),
                                 QStringLiteral("With --child: <impl> <scenario> <N>."),
                                 QStringLiteral("[args...]"));
    parser.process(app);

    bool ok = true;
    const uint stackKiB = parser.isSet(stackOption) ? parser.value(stackOption).toUInt(&ok) : 256;
    if (!ok)
        return fail(QStringLiteral("--stack-size takes a number of KiB"));
    const uint stackSize = stackKiB * 1024;

    if (parser.isSet(childOption))
        return childMain(parser.positionalArguments(), stackSize);
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected arguments; see --help"));

    const bool quick = parser.isSet(quickOption);
    const std::optional<QList<int>> sizes = parseSizes(
        parser.isSet(sizesOption) ? parser.value(sizesOption)
                                  : QString::fromLatin1(quick ? "1,10" : "1,10,100,1000,10000"));
    if (!sizes)
        return fail(QStringLiteral("--sizes takes positive numbers separated by commas"));
    const int reps = parser.isSet(repsOption) ? parser.value(repsOption).toInt(&ok) : quick ? 1 : 5;
    if (!ok || reps < 1)
        return fail(QStringLiteral("--reps takes a positive number"));
    QStringList scenarios;
    for (const auto &s : scenarioNames)
        scenarios.append(QLatin1String(s.name));
    if (parser.isSet(scenariosOption)) {
        scenarios = parser.value(scenariosOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &scenario : scenarios) {
            if (!scenarioNamed(scenario))
                return fail(QStringLiteral("unknown scenario: ") + scenario);
        }
    }

    int failures = 0;
    const QList<Bench::Sample> samples = runAll(scenarios, *sizes, reps, stackSize, &failures);

    std::printf("\nrungroup-bench: median (p90) of %d fresh process%s per figure; actor stacks "
                "%s; ratios of medians to std::thread's\n\n",
                reps, reps == 1 ? "" : "es",
                stackKiB ? qPrintable(QString::number(stackKiB) + QStringLiteral(" KiB"))
                         : "the platform's");
    std::fflush(stdout);
    Bench::printTable(stdout, samples, implementations(), reference, scenarios, *sizes);

    if (parser.isSet(csvOption) && !Bench::writeCsv(parser.value(csvOption), samples)) {
        std::fprintf(stderr, "rungroup-bench: cannot write %s\n",
                     qPrintable(parser.value(csvOption)));
        return 1;
    }
    if (failures > 0) {
        std::fprintf(stderr, "rungroup-bench: %d child process%s failed\n", failures,
                     failures == 1 ? "" : "es");
        return 1;
    }
    return 0;
}
