// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Logging (category "rungroup") and Chrome trace-event output of runs.

#include "runobserver_p.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSaveFile>

#include <mutex>
#include <utility>

// Debug output is off unless enabled, e.g. QT_LOGGING_RULES="rungroup.debug=true".
Q_LOGGING_CATEGORY(lcRunGroup, "rungroup", QtInfoMsg)

namespace {

// The process-wide trace: every observed run of every group, written out whole to the
// trace file after each run finishes. Guarded by mutex (groups may live on any thread).
struct Trace
{
    std::mutex mutex;
    bool initialized = false;
    QString fileName; // empty: tracing off
    QJsonArray events;
    int groups = 0;
    QElapsedTimer clock; // the trace's time zero

    void initLocked()
    {
        if (initialized)
            return;
        initialized = true;
        clock.start();
        fileName = qEnvironmentVariable("RUNGROUP_TRACE");
    }
    qint64 nowUs() const { return clock.nsecsElapsed() / 1000; }
};

Trace &trace()
{
    static Trace instance;
    return instance;
}

bool tracing()
{
    Trace &t = trace();
    std::lock_guard<std::mutex> lock(t.mutex);
    t.initLocked();
    return !t.fileName.isEmpty();
}

qint64 traceNowUs()
{
    Trace &t = trace();
    std::lock_guard<std::mutex> lock(t.mutex);
    t.initLocked();
    return t.nowUs();
}

void addEvents(const QJsonArray &events, bool write)
{
    Trace &t = trace();
    std::lock_guard<std::mutex> lock(t.mutex);
    if (t.fileName.isEmpty())
        return;
    for (const QJsonValue &event : events)
        t.events.append(event);
    if (!write)
        return;
    QSaveFile file(t.fileName);
    if (!file.open(QIODevice::WriteOnly)) {
        qCWarning(lcRunGroup, "RunGroup: Cannot write the trace file %s: %s",
                  qPrintable(t.fileName), qPrintable(file.errorString()));
        return;
    }
    const QJsonObject root{{QStringLiteral("traceEvents"), t.events},
                           {QStringLiteral("displayTimeUnit"), QStringLiteral("ms")}};
    file.write(QJsonDocument(root).toJson(QJsonDocument::Compact));
    if (!file.commit())
        qCWarning(lcRunGroup, "RunGroup: Cannot write the trace file %s: %s",
                  qPrintable(t.fileName), qPrintable(file.errorString()));
}

QJsonObject traceEvent(const QString &name, const char *phase, int pid, int tid, qint64 ts)
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("ph"), QLatin1String(phase)},
                       {QStringLiteral("pid"), pid},
                       {QStringLiteral("tid"), tid},
                       {QStringLiteral("ts"), ts}};
}

QJsonObject metadata(const char *kind, int pid, int tid, const QString &value)
{
    QJsonObject m = traceEvent(QLatin1String(kind), "M", pid, tid, 0);
    m.insert(QStringLiteral("args"), QJsonObject{{QStringLiteral("name"), value}});
    return m;
}

QJsonObject span(const QString &name, int pid, int tid, qint64 from, qint64 to)
{
    QJsonObject e = traceEvent(name, "X", pid, tid, from);
    e.insert(QStringLiteral("dur"), qMax<qint64>(0, to - from));
    return e;
}

} // namespace

void RunGroup::setTraceFile(const QString &fileName)
{
    Trace &t = trace();
    std::lock_guard<std::mutex> lock(t.mutex);
    t.initLocked();
    t.fileName = fileName;
}

QString RunGroup::traceFile()
{
    Trace &t = trace();
    std::lock_guard<std::mutex> lock(t.mutex);
    t.initLocked();
    return t.fileName;
}

void RunObserver::attachIfWanted(RunGroup *group)
{
    if (!lcRunGroup().isDebugEnabled() && !tracing())
        return;
    if (!group->findChild<RunObserver *>(QString(), Qt::FindDirectChildrenOnly))
        new RunObserver(group);
}

RunObserver::RunObserver(RunGroup *group)
    : QObject(group), m_group(group), m_traceId([] {
          Trace &t = trace();
          std::lock_guard<std::mutex> lock(t.mutex);
          return ++t.groups;
      }())
{
    // Connected from inside start(): started() of this very run is seen.
    connect(group, &RunGroup::started, this, &RunObserver::started);
    connect(group, &RunGroup::stateChanged, this, [this](RunGroup::State state) {
        if (state == RunGroup::State::Interrupting)
            interrupting();
    });
    connect(group, &RunGroup::actorExited, this, &RunObserver::actorExited);
    connect(group, &RunGroup::finished, this, &RunObserver::finished);
}

QString RunObserver::label(int index) const
{
    const QString name = m_group->actorName(index);
    return name.isEmpty() ? QStringLiteral("actor %1").arg(index)
                          : QStringLiteral("actor %1 \"%2\"").arg(index).arg(name);
}

void RunObserver::started()
{
    m_runTimer.start();
    m_runStart = traceNowUs();
    m_interruptAt = -1;
    m_cause = -1;
    m_causePending = false;
    m_exitAt.assign(size_t(m_group->count()), -1);
    qCDebug(lcRunGroup, "%s: run started with %d actors", qPrintable(m_group->objectName()),
            m_group->count());
    for (int i = 0; i < m_group->count(); ++i)
        qCDebug(lcRunGroup, "%s started", qPrintable(label(i)));
}

void RunObserver::interrupting()
{
    m_interruptAt = traceNowUs();
    // The group reports the exit that made it Interrupting (if one did) right after this,
    // before returning to the event loop; stop() reports none.
    m_causePending = true;
    QMetaObject::invokeMethod(
        this, [this] { m_causePending = false; }, Qt::QueuedConnection);
    for (int i = 0; i < m_group->count(); ++i) {
        // The first exit (if it caused this) is reported right after.
        qCDebug(lcRunGroup, "%s interrupted after %lld ms", qPrintable(label(i)),
                static_cast<long long>(elapsedMs()));
    }
}

void RunObserver::actorExited(int index, const RunError &error)
{
    if (index >= 0 && size_t(index) < m_exitAt.size())
        m_exitAt[size_t(index)] = traceNowUs();
    if (std::exchange(m_causePending, false))
        m_cause = index;
    if (error.kind() == RunError::Kind::Timeout)
        qCDebug(lcRunGroup, "%s timed out after %lld ms: %s", qPrintable(label(index)),
                static_cast<long long>(elapsedMs()), qPrintable(error.toString()));
    else
        qCDebug(lcRunGroup, "%s exited after %lld ms: %s", qPrintable(label(index)),
                static_cast<long long>(elapsedMs()), qPrintable(error.toString()));
}

void RunObserver::finished(const RunError &error)
{
    qCDebug(lcRunGroup, "%s: run finished after %lld ms: %s", qPrintable(m_group->objectName()),
            static_cast<long long>(elapsedMs()), qPrintable(error.toString()));
    if (!tracing())
        return;
    // One process per group, one thread lane per actor (tid = index + 1), lane 0 the run.
    const qint64 end = traceNowUs();
    const int pid = m_traceId;
    const QString groupName = m_group->objectName().isEmpty()
                                  ? QStringLiteral("RunGroup %1").arg(pid)
                                  : m_group->objectName();
    QJsonArray events;
    events.append(metadata("process_name", pid, 0, groupName));
    events.append(metadata("thread_name", pid, 0, QStringLiteral("run")));
    QJsonObject run = span(QStringLiteral("run"), pid, 0, m_runStart, end);
    run.insert(QStringLiteral("args"), QJsonObject{{QStringLiteral("error"), error.toString()}});
    events.append(run);
    const QList<RunError> errors = m_group->errors();
    for (int i = 0; i < int(m_exitAt.size()); ++i) {
        const int tid = i + 1;
        const qint64 exitAt = m_exitAt[size_t(i)] >= 0 ? m_exitAt[size_t(i)] : end;
        events.append(metadata("thread_name", pid, tid, label(i)));
        QJsonObject sort = traceEvent(QStringLiteral("thread_sort_index"), "M", pid, tid, 0);
        sort.insert(QStringLiteral("args"), QJsonObject{{QStringLiteral("sort_index"), tid}});
        events.append(sort);
        // The actor whose exit began the shutdown was never interrupting.
        const bool interrupted = i != m_cause && m_interruptAt >= 0 && m_interruptAt < exitAt;
        events.append(span(QStringLiteral("running"), pid, tid, m_runStart,
                           interrupted ? m_interruptAt : exitAt));
        if (interrupted)
            events.append(span(QStringLiteral("interrupting"), pid, tid, m_interruptAt, exitAt));
        QJsonObject exited = traceEvent(QStringLiteral("exited"), "i", pid, tid, exitAt);
        exited.insert(QStringLiteral("s"), QStringLiteral("t"));
        exited.insert(QStringLiteral("args"),
                      QJsonObject{{QStringLiteral("error"), errors.value(i).toString()}});
        events.append(exited);
    }
    addEvents(events, true);
}
