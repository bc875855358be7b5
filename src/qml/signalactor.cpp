// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "signalactor_p.h"

#include <RunGroup/rungroup.h>

#include <QtQml/QQmlInfo>

#include <QtCore/QLocale>

#include <climits>
#include <cmath>
#include <csignal>

SignalActor::SignalActor(QObject *parent) : RunGroupActor(parent), m_signalNumbers{SIGINT, SIGTERM}
{
    setName(QStringLiteral("signals"));
}

QList<double> SignalActor::signalNumbers() const
{
    QList<double> numbers;
    for (int n : m_signalNumbers)
        numbers.append(n);
    return numbers;
}

void SignalActor::setSignalNumbers(const QList<double> &numbers)
{
    QList<int> signalNumbers;
    for (double n : numbers) {
        // Whole numbers within int's range go on to the group, which judges them as signals.
        if (!(n >= INT_MIN && n <= INT_MAX) || n != std::trunc(n)) {
            qmlWarning(this) << "signalNumbers: "
                             << QString::number(n, 'g', QLocale::FloatingPointShortest)
                             << " is not a signal number";
            return;
        }
        signalNumbers.append(int(n));
    }
    if (m_signalNumbers == signalNumbers)
        return;
    if (group()) {
        qmlWarning(this) << "signalNumbers cannot change once the actor is in its RunGroup";
        return;
    }
    m_signalNumbers = signalNumbers;
    Q_EMIT signalNumbersChanged();
}

int SignalActor::addTo(RunGroup *group)
{
    return group->addSignalHandler(m_signalNumbers);
}
