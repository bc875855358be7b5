// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// addTimeout(): a deadline, started with each run.
#include "timeoutactor_p.h"

#include "logging_p.h"
#include "testseams_p.h"

#include <algorithm>
#include <atomic>
#include <climits>

namespace {
// A Qt 6.4 timer's interval is an int of milliseconds (QTimer::start(std::chrono::milliseconds)
// truncates to one): a longer deadline is waited for in steps of at most this much.
constexpr std::chrono::milliseconds kDefaultLongTimerStep{INT_MAX / 2};
std::atomic<std::chrono::milliseconds::rep> g_longTimerStep{kDefaultLongTimerStep.count()};
} // namespace

void RunGroupTesting::setLongTimerStep(std::chrono::milliseconds step)
{
    g_longTimerStep =
        (step > std::chrono::milliseconds::zero() ? step : kDefaultLongTimerStep).count();
}

TimeoutActor::TimeoutActor(std::chrono::milliseconds duration, RunGroup *group)
    : ActorAdaptor(group), m_duration(duration), m_timer(this)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_lastStep) {
            armNextStep();
            return;
        }
        Q_EMIT exited(RunError::timeout(QStringLiteral("RunGroup: The deadline of %1 ms passed")
                                            .arg(qint64(m_duration.count()))));
    });
}

void TimeoutActor::begin()
{
    m_started = std::chrono::steady_clock::now();
    armNextStep();
}

void TimeoutActor::armNextStep()
{
    using namespace std::chrono;
    // No overflow: the duration is positive and the time elapsed since begin() is far
    // smaller than either end of the range.
    const milliseconds elapsed = duration_cast<milliseconds>(steady_clock::now() - m_started);
    const milliseconds left = m_duration - std::min(elapsed, m_duration);
    const milliseconds step(g_longTimerStep.load());
    m_lastStep = left <= step;
    m_timer.start(int(std::min(left, step).count()));
}

void TimeoutActor::interrupt(const RunError &)
{
    if (m_timer.isActive()) {
        m_timer.stop();
        Q_EMIT exited(RunError());
    }
}

int RunGroup::addTimeout(std::chrono::milliseconds duration, const QString &name)
{
    if (!ActorAdaptor::canAdd(this, "addTimeout"))
        return -1;
    if (duration <= std::chrono::milliseconds::zero()) {
        qCWarning(lcActors, "RunGroup::addTimeout: The duration must be positive, not %lld ms",
                  static_cast<long long>(duration.count()));
        return -1;
    }
    return (new TimeoutActor(duration, this))
        ->addTo(this, name.isEmpty() ? QStringLiteral("timeout") : name);
}
