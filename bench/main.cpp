// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// rungroup-bench: RunGroup against three hand-written baselines and a Go program, each
// repetition of each implementation in a fresh child process. See bench/README.md.

#include "baseline_parked.h"
#include "baseline_qthread.h"
#include "baseline_stdthread.h"
#include "driver.h"
#include "report.h"

#include <RunGroup/ActorThreads>
#include <RunGroup/RunGroup>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFileInfo>
#include <QtCore/QLoggingCategory>
#include <QtCore/QProcess>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <exception>
#include <iterator>
#include <optional>

#include <sys/resource.h>

namespace {
using Bench::Figure;
using Bench::Scenario;

using Measure = std::vector<Figure> (*)(Scenario scenario, int actors, uint stackSize);

struct Entry
{
    Bench::Implementation implementation;
    Measure measure; // null: another program measures it (Go, bench/go/gobench.go)
};

// In this order in the table; the std::thread baseline is the reference of the ratios. The
// parked threads are the floor of thread reuse, which targets T2 and T3 name beside RunGroup;
// std::thread + QThread the floor of a thread that keeps RunGroup's QThread contract, which
// T1 and T4 name.
const Entry entries[] = {
    {{QStringLiteral("rungroup"), QStringLiteral("RunGroup")}, &Bench::measure<RunGroup>},
    {{QStringLiteral("stdthread"), QStringLiteral("std::thread")},
     &Bench::measure<Bench::StdThreadGroup<RunError>>},
    {{QStringLiteral("qthread"), QStringLiteral("QThread")},
     &Bench::measure<Bench::QThreadGroup<RunError>>},
    {{QStringLiteral("parked"), QStringLiteral("parked threads")},
     &Bench::measure<Bench::ParkedThreadGroup<RunError>>},
    {{QStringLiteral("adopted"), QStringLiteral("std::thread + QThread")},
     &Bench::measure<Bench::AdoptedStdThreadGroup<RunError>>},
    {{QStringLiteral("go"), QStringLiteral("Go")}, nullptr},
};
const QString reference = QStringLiteral("stdthread");
const QString parked = QStringLiteral("parked");
const QString adopted = QStringLiteral("adopted");
const QString go = QStringLiteral("go");

// The Go program: its path, or why there is none.
struct GoProgram
{
    QString path;
    QString absent; // empty when path is usable
};

GoProgram goProgram(const QString &given)
{
#ifdef RUNGROUP_BENCH_GO
    const QString built = QStringLiteral(RUNGROUP_BENCH_GO);
#else
    const QString built;
#endif
    const QString path = given.isEmpty() ? built : given;
    if (path.isEmpty())
        return {{},
                QStringLiteral("no `go` found when configured; install golang-go and reconfigure")};
    const QFileInfo info(path);
    if (!info.isFile() || !info.isExecutable())
        return {{},
                path
                    + QStringLiteral(" is not an executable (build the target rungroup-bench-go, "
                                     "or pass --go PATH)")};
    return {info.absoluteFilePath(), {}};
}

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
// Unless coldQtLogging, Qt's logging is set up first, as in a Qt program that has logged
// anything (qInfo(), qWarning(), a category) by the time it builds its groups: the first
// logging category of a process initializes Qt's logging registry, which looks for
// qtlogging.ini and qt.conf (here ~60,000 instructions and ~830 KiB of Qt Core paged in),
// once per process. RunGroup's first run uses its categories; the baselines log nothing.
// bench/README.md, "Method".
// idleLimit >= 0: ActorThreads::setIdleLimit(idleLimit) first (RunGroup's column only).
int childMain(const QStringList &args, uint stackSize, bool coldQtLogging, int idleLimit)
{
    if (idleLimit >= 0)
        ActorThreads::setIdleLimit(idleLimit);
    if (!coldQtLogging) {
        static const QLoggingCategory setUp("rungroup.bench");
        Q_UNUSED(setUp.isDebugEnabled())
    }
    const Entry *entry = nullptr;
    for (const Entry &e : entries) {
        if (args.value(0) == e.implementation.name && e.measure)
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

// What one invocation measures.
struct Plan
{
    QList<Bench::Implementation> implementations;
    QString goPath; // the Go program, when implementations has go
    QStringList scenarios;
    QList<int> sizes;
    int reps = 0;
    QList<uint> stacksKiB;
    bool coldQtLogging = false; // passed on to the C++ children (see childMain())
    QString idleLimit;          // --idle-limit, passed on to them too; empty: the default
};

// Runs one child; returns its figures, or nothing (with a message) when it failed. The Go
// program takes the same arguments, but for --child and the implementation.
std::optional<QList<Bench::Sample>> runChild(const Plan &plan, const QString &impl,
                                             const QString &scenario, int n, int rep, uint stackKiB)
{
    QStringList args = {QStringLiteral("--stack-size"), QString::number(stackKiB), scenario,
                        QString::number(n)};
    QString program = plan.goPath;
    if (impl != go) {
        args = QStringList{QStringLiteral("--child"), impl} + args;
        if (plan.coldQtLogging)
            args.prepend(QStringLiteral("--cold-qt-logging"));
        if (!plan.idleLimit.isEmpty())
            args = QStringList{QStringLiteral("--idle-limit"), plan.idleLimit} + args;
        program = QCoreApplication::applicationFilePath();
    }
    const QString what = impl + QLatin1Char(' ') + scenario + QLatin1Char('(') + QString::number(n)
                         + QStringLiteral(") ") + QString::number(stackKiB)
                         + QStringLiteral(" KiB");
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(program, args);
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
            samples.append({impl, scenario, n, rep, value, QString::fromUtf8(fields[2]), stackKiB});
    }
    if (samples.isEmpty()) {
        std::fprintf(stderr, "rungroup-bench: %s: the child printed no figure\n", qPrintable(what));
        return std::nullopt;
    }
    return samples;
}

// Numbers separated by commas, each at least minimum; nothing when there is none.
template <typename Number>
std::optional<QList<Number>> parseNumbers(const QString &text, Number minimum)
{
    QList<Number> numbers;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qlonglong n = part.trimmed().toLongLong(&ok);
        if (!ok || n < qlonglong(minimum) || n > qlonglong(INT_MAX))
            return std::nullopt;
        numbers.append(Number(n));
    }
    if (numbers.isEmpty())
        return std::nullopt;
    return numbers;
}

// The implementations named (all of them when names is empty), in the table's order, or
// nothing with a message. The Go column only where its program is.
std::optional<QList<Bench::Implementation>> implementationsNamed(const QStringList &names,
                                                                 const GoProgram &goProgram)
{
    for (const QString &name : names) {
        if (std::none_of(std::begin(entries), std::end(entries),
                         [&name](const Entry &e) { return e.implementation.name == name; })) {
            std::fprintf(stderr,
                         "rungroup-bench: unknown implementation %s (rungroup, stdthread, "
                         "qthread, parked, adopted, go)\n",
                         qPrintable(name));
            return std::nullopt;
        }
    }
    if (!names.isEmpty() && !names.contains(reference)) {
        std::fprintf(stderr, "rungroup-bench: --implementations must include stdthread: every "
                             "ratio is to std::thread\n");
        return std::nullopt;
    }
    if (names.contains(go) && !goProgram.absent.isEmpty()) {
        std::fprintf(stderr, "rungroup-bench: no Go column: %s\n", qPrintable(goProgram.absent));
        return std::nullopt;
    }
    QList<Bench::Implementation> list;
    for (const Entry &e : entries) {
        const QString &name = e.implementation.name;
        if (names.isEmpty() ? name != go || goProgram.absent.isEmpty() : names.contains(name))
            list.append(e.implementation);
    }
    return list;
}

// Every repetition of every implementation in a fresh process, the implementations in a
// rotating order, so that neither a previous run's teardown nor the machine's drift
// favours one of them (bench/README.md). Counts the children that failed in *failures.
QList<Bench::Sample> runAll(const Plan &plan, int *failures)
{
    const QList<Bench::Implementation> &impls = plan.implementations;
    const int count = int(impls.size());
    QList<Bench::Sample> samples;
    for (uint stackKiB : plan.stacksKiB) {
        for (const QString &scenario : plan.scenarios) {
            for (int n : plan.sizes) {
                QElapsedTimer timer;
                timer.start();
                for (int rep = 0; rep < plan.reps; ++rep) {
                    for (int k = 0; k < count; ++k) {
                        const QString &impl = impls[(rep + k) % count].name;
                        if (const auto figures = runChild(plan, impl, scenario, n, rep, stackKiB))
                            samples.append(*figures);
                        else
                            ++*failures;
                    }
                }
                std::fprintf(stderr,
                             "rungroup-bench: %s(%d), stacks %u KiB: %d × %d processes, %.2f s\n",
                             qPrintable(scenario), n, stackKiB, plan.reps, count,
                             double(timer.elapsed()) / 1000);
            }
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
        "Measures RunGroup against std::thread, QThread and parked-thread baselines and a Go "
        "program; prints a Markdown table of medians (p90) and ratios to std::thread, then the "
        "issue's target lines. Each repetition of each implementation runs in a fresh child "
        "process. See bench/README.md."));
    parser.addHelpOption();
    const QCommandLineOption sizesOption =
        option("sizes", "Actor counts (default 1,10,100,1000,10000).", "N,N,...");
    const QCommandLineOption repsOption =
        option("reps", "Repetitions per figure (default 5).", "R");
    const QCommandLineOption scenariosOption =
        option("scenarios", "Scenarios (default cycle,latency,rerun,memory).", "S,S,...");
    const QCommandLineOption stackOption =
        option("stack-size",
               "Stacks of every actor thread, each measured in turn (default 256; 0: the "
               "platform's). Go ignores it.",
               "KiB,KiB,...");
    const QCommandLineOption implementationsOption =
        option("implementations",
               "Columns among rungroup,stdthread,qthread,parked,adopted,go; stdthread is required "
               "(default: all there are).",
               "I,I,...");
    const QCommandLineOption goOption =
        option("go", "The Go program (default: the one the build made).", "PATH");
    const QCommandLineOption csvOption = option("csv", "Write every raw sample to FILE.", "FILE");
    const QCommandLineOption quickOption =
        option("quick", "Sizes 1,10 and one repetition: checks that the harness works.");
    const QCommandLineOption targetsOption =
        option("targets", "What the target lines need: sizes 10,100,1000,10000, 21 repetitions, "
                          "stacks 256,0, rungroup,stdthread,parked,adopted,go, every scenario.");
    const QCommandLineOption coldLoggingOption =
        option("cold-qt-logging",
               "Leave Qt's logging registry unset in each child until the measured code sets it "
               "up (default: set up first, as in a Qt program that has logged anything).");
    const QCommandLineOption idleLimitOption =
        option("idle-limit",
               "ActorThreads::setIdleLimit(N) in RunGroup's children (default: the library's, "
               "1024): how many actor threads park after a run instead of ending.",
               "N");
    const QCommandLineOption childOption =
        option("child", "Internal: measure <impl> <scenario> <N> once in this process.");
    parser.addOptions({sizesOption, repsOption, scenariosOption, stackOption, implementationsOption,
                       goOption, csvOption, quickOption, targetsOption, coldLoggingOption,
                       idleLimitOption, childOption});
    parser.addPositionalArgument(QStringLiteral("args"),
                                 QStringLiteral("With --child: <impl> <scenario> <N>."),
                                 QStringLiteral("[args...]"));
    parser.process(app);

    const bool quick = parser.isSet(quickOption);
    const bool targets = parser.isSet(targetsOption);
    const std::optional<QList<uint>> stacksKiB = parseNumbers<uint>(
        parser.isSet(stackOption) ? parser.value(stackOption)
                                  : QString::fromLatin1(targets ? "256,0" : "256"),
        0);
    if (!stacksKiB)
        return fail(QStringLiteral("--stack-size takes numbers of KiB separated by commas"));

    int idleLimit = -1;
    if (parser.isSet(idleLimitOption)) {
        bool ok = false;
        idleLimit = parser.value(idleLimitOption).toInt(&ok);
        if (!ok || idleLimit < 0)
            return fail(QStringLiteral("--idle-limit takes a number of threads, 0 or more"));
    }
    if (parser.isSet(childOption)) {
        if (stacksKiB->size() != 1)
            return fail(QStringLiteral("--child takes one --stack-size"));
        return childMain(parser.positionalArguments(), stacksKiB->first() * 1024,
                         parser.isSet(coldLoggingOption), idleLimit);
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected arguments; see --help"));
    if (quick && targets)
        return fail(QStringLiteral("--quick and --targets exclude each other"));

    Plan plan;
    plan.stacksKiB = *stacksKiB;
    plan.coldQtLogging = parser.isSet(coldLoggingOption);
    if (idleLimit >= 0)
        plan.idleLimit = QString::number(idleLimit);
    const std::optional<QList<int>> sizes =
        parseNumbers<int>(parser.isSet(sizesOption) ? parser.value(sizesOption)
                          : targets                 ? QString::fromLatin1("10,100,1000,10000")
                          : quick                   ? QString::fromLatin1("1,10")
                                                    : QString::fromLatin1("1,10,100,1000,10000"),
                          1);
    if (!sizes)
        return fail(QStringLiteral("--sizes takes positive numbers separated by commas"));
    plan.sizes = *sizes;
    bool ok = true;
    plan.reps = parser.isSet(repsOption) ? parser.value(repsOption).toInt(&ok)
                : targets                ? 21
                : quick                  ? 1
                                         : 5;
    if (!ok || plan.reps < 1)
        return fail(QStringLiteral("--reps takes a positive number"));
    for (const auto &s : scenarioNames)
        plan.scenarios.append(QLatin1String(s.name));
    if (parser.isSet(scenariosOption)) {
        plan.scenarios = parser.value(scenariosOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &scenario : plan.scenarios) {
            if (!scenarioNamed(scenario))
                return fail(QStringLiteral("unknown scenario: ") + scenario);
        }
    }

    const GoProgram goProgram_ = goProgram(parser.value(goOption));
    QStringList names;
    if (parser.isSet(implementationsOption))
        names = parser.value(implementationsOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    else if (targets)
        names = QStringList{QStringLiteral("rungroup"), reference, parked, adopted};
    // --targets wants Go, but measures the rest without it.
    if (targets && !parser.isSet(implementationsOption) && goProgram_.absent.isEmpty())
        names.append(go);
    const std::optional<QList<Bench::Implementation>> impls =
        implementationsNamed(names, goProgram_);
    if (!impls)
        return 2;
    plan.implementations = *impls;
    plan.goPath = goProgram_.path;
    const bool goWanted = names.isEmpty() || targets;
    if (goWanted && !goProgram_.absent.isEmpty())
        std::printf("Go column absent: %s\n", qPrintable(goProgram_.absent));

    int failures = 0;
    const QList<Bench::Sample> samples = runAll(plan, &failures);

    QStringList stackLabels;
    for (uint kib : plan.stacksKiB)
        stackLabels.append(Bench::stackLabel(kib));
    const bool goMeasured =
        !plan.goPath.isEmpty()
        && std::any_of(plan.implementations.cbegin(), plan.implementations.cend(),
                       [](const Bench::Implementation &i) { return i.name == go; });
    std::printf("\nrungroup-bench: median (p90) of %d fresh process%s per figure; actor stacks "
                "%s%s; Qt's logging %s; ratios of medians to std::thread's\n\n",
                plan.reps, plan.reps == 1 ? "" : "es",
                qPrintable(stackLabels.join(QStringLiteral(", "))),
                goMeasured ? " (Go: goroutines, no stack size)" : "",
                plan.coldQtLogging ? "cold (--cold-qt-logging)" : "set up before the clock");
    if (!plan.idleLimit.isEmpty())
        std::printf("RunGroup's idle limit: %s threads (--idle-limit)\n\n",
                    qPrintable(plan.idleLimit));
    std::fflush(stdout);
    Bench::printTables(stdout, samples, plan.implementations, reference, plan.scenarios, plan.sizes,
                       plan.stacksKiB);
    std::printf("\nTargets (medians of this invocation):\n\n");
    for (const QString &line : Bench::targetLines(samples))
        std::printf("- %s\n", qPrintable(line));
    std::fflush(stdout);

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
