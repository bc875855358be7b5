// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "report.h"

#include <QtCore/QFile>
#include <QtCore/QTextStream>

#include <algorithm>
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
                       const QString &scenario, int n, const QString &unit)
{
    QList<double> values;
    for (const Bench::Sample &s : samples) {
        if (s.impl == impl && s.scenario == scenario && s.n == n && s.unit == unit)
            values.append(s.value);
    }
    return values;
}

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

void Bench::printTable(std::FILE *out, const QList<Sample> &samples,
                       const QList<Implementation> &implementations, const QString &reference,
                       const QStringList &scenarios, const QList<int> &sizes)
{
    QString referenceLabel;
    QString header = QStringLiteral("| scenario | N |");
    QString rule = QStringLiteral("|---|---:|");
    for (const Implementation &impl : implementations) {
        header += QLatin1Char(' ') + impl.label + QStringLiteral(" median (p90) |");
        rule += QStringLiteral("---:|");
        if (impl.name == reference)
            referenceLabel = impl.label;
    }
    for (const Implementation &impl : implementations) {
        if (impl.name == reference)
            continue;
        header += QLatin1Char(' ') + impl.label + QLatin1Char('/') + referenceLabel
                  + QStringLiteral(" |");
        rule += QStringLiteral("---:|");
    }
    QTextStream stream(out);
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
                    median(valuesOf(samples, reference, scenario, n, unit));
                QStringList ratios;
                for (const Implementation &impl : implementations) {
                    const QList<double> values = valuesOf(samples, impl.name, scenario, n, unit);
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

bool Bench::writeCsv(const QString &path, const QList<Sample> &samples)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    QTextStream stream(&file);
    stream << "impl,scenario,N,rep,value,unit\n";
    for (const Sample &s : samples) {
        stream << s.impl << ',' << s.scenario << ',' << s.n << ',' << s.rep << ','
               << QString::number(s.value, 'g', 15) << ',' << s.unit << '\n';
    }
    stream.flush();
    return stream.status() == QTextStream::Ok && file.error() == QFileDevice::NoError;
}
