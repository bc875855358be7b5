// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "signalactor_p.h"

#include <RunGroup/rungroup.h>

#include <QtQml/QQmlInfo>

#include <csignal>

SignalActor::SignalActor(QObject *parent) : RunGroupActor(parent), m_signalNumbers{SIGINT, SIGTERM}
{
    setName(QStringLiteral("signals"));
}

QList<int> SignalActor::signalNumbers() const
{
    return m_signalNumbers;
}

void SignalActor::setSignalNumbers(const QList<int> &signalNumbers)
{
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
