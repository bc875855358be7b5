// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "counter.h"

#include <RunGroup/HandOver>

#include <QtCore/QElapsedTimer>

Counter::Counter(QObject *parent) : ThreadActor(parent) { }

void Counter::aboutToRun()
{
    m_runInterval = qMax(1, m_interval);
    m_runFailAfter = m_failAfter;
    m_sleeper.reset();
    setValue(0);
}

RunError Counter::execute()
{
    QElapsedTimer elapsed;
    elapsed.start();
    for (int count = 1; m_sleeper.sleep(std::chrono::milliseconds(m_runInterval)); ++count) {
        // Back to the GUI thread; dropped if this object is gone by then. HandOver::post is
        // a queued QMetaObject::invokeMethod that ThreadSanitizer also sees as ordered.
        HandOver::post(this, [this, count] { setValue(count); });
        if (m_runFailAfter > 0 && elapsed.elapsed() >= m_runFailAfter)
            return RunError::failure(
                QStringLiteral("counter: failed at %1, as --fail-after asked").arg(count));
    }
    return RunError(); // interrupted
}

void Counter::interrupt(const RunError &error)
{
    Q_UNUSED(error);
    m_sleeper.wake();
}

void Counter::setValue(int value)
{
    if (m_value == value)
        return;
    m_value = value;
    Q_EMIT valueChanged();
}
