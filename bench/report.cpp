// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "report.h"

#include <QtCore/QFile>
#include <QtCore/QTextStream>

#include <algorithm>
#include <climits>
#include <cmath>

namespace {
QString formatTime(double ns)
{
    static const struct
    {
        double scale;
        const char *unit;
    } units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}};
    for (const auto &u : units) {
        if (ns >= u.scale || u.scale == 1)
            return QString::number(ns / u.scale, 'g', 3) + QLatin1Char(' ')
                   + QString::fromUtf8(u.unit);
    }
    return {};
}

QString formatValue(double value, const QString &unit)
{
    if (unit == QLatin1String("ns"))
        return formatTime(value);
    if (unit == QLatin1String("KiB/actor"))
        return QString::number(value, 'f', 1) + QLatin1String(" KiB");
    return QString::number(value, 'f', 2);
}

QString formatRatio(double numerator, double denominator)
{
    if (!(denominator > 0) || std::isnan(numerator))
        return QStringLiteral("–");
    return QString::number(numerator / denominator, 'f', 2) + QStringLiteral("×");
}

QList<double> valuesOf(const QList<Bench::Sample> &samples, const QString &impl,
                       const QString &scenario, int n, const QString &unit, uint stackKiB)
{
    QList<double> values;
    for (const Bench::Sample &s : samples) {
        if (s.impl == impl && s.scenario == scenario && s.n == n && s.unit == unit
            && s.stackKiB == stackKiB)
            values.append(s.value);
    }
    return values;
}

using Bench::stackLabel;

// The units a scenario produced, in the order they first appear.
QStringList unitsOf(const QList<Bench::Sample> &samples, const QString &scenario)
{
    QStringList units;
    for (const Bench::Sample &s : samples) {
        if (s.scenario == scenario && !units.contains(s.unit))
            units.append(s.unit);
    }
    return units;
}
} // namespace

QString Bench::stackLabel(uint stackKiB)
{
    return stackKiB ? QString::number(stackKiB) + QStringLiteral(" KiB")
                    : QStringLiteral("platform default (0)");
}

double Bench::median(QList<double> values)
{
    if (values.isEmpty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    const qsizetype middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

double Bench::percentile90(QList<double> values)
{
    if (values.isEmpty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    const auto rank = qsizetype(std::ceil(0.9 * double(values.size())));
    return values[std::max<qsizetype>(rank, 1) - 1];
}

namespace {
void printTable(QTextStream &stream, const QList<Bench::Sample> &samples,
                const QList<Bench::Implementation> &implementations, const QString &reference,
                const QStringList &scenarios, const QList<int> &sizes, uint stackKiB)
{
    using Bench::median;
    using Bench::percentile90;
    QString referenceLabel;
    QString header = QStringLiteral("| scenario | N |");
    QString rule = QStringLiteral("|---|---:|");
    for (const Bench::Implementation &impl : implementations) {
        header += QLatin1Char(' ') + impl.label + QStringLiteral(" median (p90) |");
        rule += QStringLiteral("---:|");
        if (impl.name == reference)
            referenceLabel = impl.label;
    }
    for (const Bench::Implementation &impl : implementations) {
        if (impl.name == reference)
            continue;
        header += QLatin1Char(' ') + impl.label + QLatin1Char('/') + referenceLabel
                  + QStringLiteral(" |");
        rule += QStringLiteral("---:|");
    }
    stream << header << '\n' << rule << '\n';

    for (const QString &scenario : scenarios) {
        const QStringList units = unitsOf(samples, scenario);
        for (const QString &unit : units) {
            const QString name = units.size() > 1 || unit != QLatin1String("ns")
                                     ? scenario + QStringLiteral(" (") + unit + QLatin1Char(')')
                                     : scenario;
            for (int n : sizes) {
                QString row = QStringLiteral("| ") + name + QStringLiteral(" | ")
                              + QString::number(n) + QStringLiteral(" |");
                const double referenceMedian =
                    median(valuesOf(samples, reference, scenario, n, unit, stackKiB));
                QStringList ratios;
                for (const Bench::Implementation &impl : implementations) {
                    const QList<double> values =
                        valuesOf(samples, impl.name, scenario, n, unit, stackKiB);
                    if (values.isEmpty()) {
                        row += QStringLiteral(" – |");
                        if (impl.name != reference)
                            ratios.append(QStringLiteral("–"));
                        continue;
                    }
                    row += QLatin1Char(' ') + formatValue(median(values), unit)
                           + QStringLiteral(" (") + formatValue(percentile90(values), unit)
                           + QStringLiteral(") |");
                    if (impl.name != reference)
                        ratios.append(formatRatio(median(values), referenceMedian));
                }
                for (const QString &ratio : ratios)
                    row += QLatin1Char(' ') + ratio + QStringLiteral(" |");
                stream << row << '\n';
            }
        }
    }
}

// One cell of a target: value must be at most limit × reference (medians of one invocation;
// NaN where that implementation has no sample there).
struct Check
{
    QString what; // "cycle", "rerun(1000) / Go cycle"
    int n = 0;
    uint stackKiB = 0;
    double value = 0;
    double reference = 0;
};

double medianOf(const QList<Bench::Sample> &samples, const QString &impl, const QString &scenario,
                int n, const QString &unit, uint stackKiB)
{
    return Bench::median(valuesOf(samples, impl, scenario, n, unit, stackKiB));
}

// The stack sizes the samples were measured at, in the order they first appear.
QList<uint> stacksOf(const QList<Bench::Sample> &samples)
{
    QList<uint> stacks;
    for (const Bench::Sample &s : samples) {
        if (!stacks.contains(s.stackKiB))
            stacks.append(s.stackKiB);
    }
    return stacks;
}

// The N a target needs, and any other N in [low, high] the samples have, ascending.
QList<int> sizesFor(const QList<Bench::Sample> &samples, const QList<int> &needed, int low,
                    int high)
{
    QList<int> sizes = needed;
    for (const Bench::Sample &s : samples) {
        if (s.n >= low && s.n <= high && !sizes.contains(s.n))
            sizes.append(s.n);
    }
    std::sort(sizes.begin(), sizes.end());
    return sizes;
}

const QString rungroup = QStringLiteral("rungroup");
const QString parked = QStringLiteral("parked");
const QString adopted = QStringLiteral("adopted");
const QString parkedLabel = QStringLiteral("parked threads");
const QString adoptedLabel = QStringLiteral("std::thread with an adopted QThread");

// impl's median (RunGroup's unless told) against std::thread's at each of these N and stacks.
QList<Check> againstStdThread(const QList<Bench::Sample> &samples, const QString &scenario,
                              const QString &unit, const QList<int> &sizes,
                              const QList<uint> &stacks, const QString &impl = rungroup)
{
    QList<Check> checks;
    for (uint stack : stacks) {
        for (int n : sizes) {
            checks.append(
                {scenario, n, stack, medianOf(samples, impl, scenario, n, unit, stack),
                 medianOf(samples, QStringLiteral("stdthread"), scenario, n, unit, stack)});
        }
    }
    return checks;
}

// impl's rerun(1000) against Go's cycle(1000) at each stack.
QList<Check> againstGo(const QList<Bench::Sample> &samples, const QList<uint> &stacks,
                       const QString &impl)
{
    const QString ns = QStringLiteral("ns");
    QList<Check> checks;
    for (uint stack : stacks) {
        checks.append(
            {QStringLiteral("rerun(1000) / Go cycle"), 1000, stack,
             medianOf(samples, impl, QStringLiteral("rerun"), 1000, ns, stack),
             medianOf(samples, QStringLiteral("go"), QStringLiteral("cycle"), 1000, ns, stack)});
    }
    return checks;
}

// A check's ratio; HUGE_VAL for a positive value against a reference of 0.
double ratioOf(const Check &check)
{
    return check.reference > 0 ? check.value / check.reference : check.value > 0 ? HUGE_VAL : 0;
}

// The measured check with the highest ratio, or null when none was measured.
const Check *worstOf(const QList<Check> &checks)
{
    const Check *worst = nullptr;
    for (const Check &check : checks) {
        if (std::isnan(check.value) || std::isnan(check.reference))
            continue;
        if (!worst || ratioOf(check) > ratioOf(*worst))
            worst = &check;
    }
    return worst;
}

QString cellLabel(const QString &what, const QStringList &sizes, uint stackKiB)
{
    return what + QLatin1Char('(') + sizes.join(QStringLiteral(", ")) + QStringLiteral(") at ")
           + stackLabel(stackKiB);
}

// The missing cells, those of one scenario and stack together: "cycle(100, 1000) at 256 KiB".
QString missingCells(const QList<const Check *> &missing)
{
    QStringList keys;
    QList<QStringList> sizes;
    QList<const Check *> firsts;
    for (const Check *check : missing) {
        const QString key = check->what + QLatin1Char('/') + QString::number(check->stackKiB);
        qsizetype at = keys.indexOf(key);
        if (at < 0) {
            at = keys.size();
            keys.append(key);
            sizes.append(QStringList());
            firsts.append(check);
        }
        sizes[at].append(QString::number(check->n));
    }
    QStringList cells;
    for (qsizetype i = 0; i < keys.size(); ++i)
        cells.append(cellLabel(firsts[i]->what, sizes[i], firsts[i]->stackKiB));
    return cells.join(QStringLiteral(", "));
}

// "<title>: met | NOT MET | not measured; worst <cell>: <ratio>; missing: <cells>".
// extraFailed fails the target for a reason the checks do not see; extra describes it.
QString verdict(const QString &title, double limit, const QList<Check> &checks,
                bool extraFailed = false, const QString &extra = {})
{
    QList<const Check *> missing;
    bool failed = extraFailed;
    for (const Check &check : checks) {
        if (std::isnan(check.value) || std::isnan(check.reference))
            missing.append(&check);
        else
            failed = failed || !(check.value <= limit * check.reference);
    }
    const Check *worst = worstOf(checks);
    QString line = title + QStringLiteral(": ")
                   + (failed                         ? QStringLiteral("NOT MET")
                      : !missing.isEmpty() || !worst ? QStringLiteral("not measured")
                                                     : QStringLiteral("met"));
    if (worst)
        line += QStringLiteral("; worst ")
                + cellLabel(worst->what, {QString::number(worst->n)}, worst->stackKiB)
                + QStringLiteral(": ") + formatRatio(worst->value, worst->reference);
    line += extra;
    if (!missing.isEmpty())
        line += QStringLiteral("; missing: ") + missingCells(missing);
    return line;
}

// "; floor (<label>): worst <cell>: <ratio>, within the limit | above the limit": the same
// cells for a floor, so the reader sees whether a target asks for less than the floor
// costs on this machine: parked threads for thread reuse, std::thread with Qt's adopted
// QThread for what an actor thread must carry. Empty when that column measured none of
// them.
QString floorNote(const QString &label, double limit, const QList<Check> &floorChecks)
{
    const Check *worst = worstOf(floorChecks);
    if (!worst)
        return {};
    return QStringLiteral("; floor (") + label + QStringLiteral("): worst ")
           + cellLabel(worst->what, {QString::number(worst->n)}, worst->stackKiB)
           + QStringLiteral(": ") + formatRatio(worst->value, worst->reference)
           + (worst->value <= limit * worst->reference ? QStringLiteral(", within the limit")
                                                       : QStringLiteral(", above the limit"));
}
} // namespace

void Bench::printTables(std::FILE *out, const QList<Sample> &samples,
                        const QList<Implementation> &implementations, const QString &reference,
                        const QStringList &scenarios, const QList<int> &sizes,
                        const QList<uint> &stacksKiB)
{
    QTextStream stream(out);
    for (uint stack : stacksKiB) {
        if (stacksKiB.size() > 1)
            stream << "### Actor stacks: " << stackLabel(stack) << "\n\n";
        printTable(stream, samples, implementations, reference, scenarios, sizes, stack);
        if (stack != stacksKiB.last())
            stream << '\n';
    }
}

QStringList Bench::targetLines(const QList<Sample> &samples)
{
    const QString ns = QStringLiteral("ns");
    const QList<uint> stacks = stacksOf(samples);
    QStringList lines;

    // Each target's cells, for RunGroup or for the floor its line names.
    // T1: no slower than one std::thread per actor, wherever it matters.
    const QList<int> t1Sizes = sizesFor(samples, {10, 100, 1000, 10000}, 10, 10000);
    const auto t1 = [&](const QString &impl) {
        return againstStdThread(samples, QStringLiteral("cycle"), ns, t1Sizes, stacks, impl)
               + againstStdThread(samples, QStringLiteral("latency"), ns, t1Sizes, stacks, impl);
    };
    lines.append(verdict(QStringLiteral("T1 cycle and latency ≤ 1.0× std::thread, N 10 to "
                                        "10,000, every stack measured"),
                         1.0, t1(rungroup), false, floorNote(adoptedLabel, 1.0, t1(adopted))));

    // T2: thread reuse pays, with both stacks a user is likely to have. T2 and T3 name the
    // floor of thread reuse too.
    const QList<int> t2Sizes = sizesFor(samples, {10, 100, 1000}, 10, 1000);
    const auto t2 = [&](const QString &impl) {
        return againstStdThread(samples, QStringLiteral("rerun"), ns, t2Sizes, {256, 0}, impl);
    };
    lines.append(verdict(QStringLiteral("T2 rerun ≤ 0.2× std::thread, N 10 to 1,000, stacks "
                                        "256 KiB and the platform's"),
                         0.2, t2(rungroup), false, floorNote(parkedLabel, 0.2, t2(parked))));

    // T3: a warm group within a small factor of goroutines.
    lines.append(verdict(QStringLiteral("T3 RunGroup's rerun(1000) ≤ 3× Go's cycle(1000), every "
                                        "stack measured"),
                         3.0, againstGo(samples, stacks, rungroup), false,
                         floorNote(parkedLabel, 3.0, againstGo(samples, stacks, parked))));

    // T4: no more memory than a bare thread, and no descriptor per actor.
    const QList<int> t4Sizes = sizesFor(samples, {100, 1000, 10000}, 100, INT_MAX);
    const QString memory = QStringLiteral("memory");
    const auto t4 = [&](const QString &impl) {
        return againstStdThread(samples, memory, QStringLiteral("KiB/actor"), t4Sizes, stacks,
                                impl);
    };
    double fdsWorst = std::nan("");
    for (uint stack : stacks) {
        for (int n : t4Sizes) {
            const double fds =
                medianOf(samples, rungroup, memory, n, QStringLiteral("fds/actor"), stack);
            if (!std::isnan(fds) && !(fds <= fdsWorst))
                fdsWorst = fds;
        }
    }
    lines.append(
        verdict(QStringLiteral("T4 memory ≤ 1.0× std::thread in KiB/actor, N ≥ 100, and RunGroup's "
                               "fds/actor 0, every stack measured"),
                1.0, t4(rungroup), fdsWorst > 0,
                (std::isnan(fdsWorst) ? QString()
                                      : QStringLiteral("; RunGroup's fds/actor at most ")
                                            + QString::number(fdsWorst, 'f', 2))
                    + floorNote(adoptedLabel, 1.0, t4(adopted))));
    return lines;
}

bool Bench::writeCsv(const QString &path, const QList<Sample> &samples)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    QTextStream stream(&file);
    stream << "impl,scenario,N,rep,value,unit,stack\n";
    for (const Sample &s : samples) {
        stream << s.impl << ',' << s.scenario << ',' << s.n << ',' << s.rep << ','
               << QString::number(s.value, 'g', 15) << ',' << s.unit << ',' << s.stackKiB << '\n';
    }
    stream.flush();
    return stream.status() == QTextStream::Ok && file.error() == QFileDevice::NoError;
}
