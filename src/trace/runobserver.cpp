// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Logging (category "rungroup.run") and Chrome trace-event output of runs.

#include "extension_p.h"
#include "runobserver_p.h"

#include <RunGroup/runtrace.h>

#include "logging_p.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <cstdarg>
#include <memory>
#include <mutex>
#include <utility>

namespace {

// The process-wide trace: every observed run of every group, written to the trace file as
// the runs go, one event per line, straight to the OS (an unbuffered file), so that a
// process killed mid-shutdown leaves every event it saw. The file is the trace-event
// format's JSON array, left unterminated as that format allows. Guarded by mutex (groups
// may live on any thread).
struct Trace
{
    std::mutex mutex;
    bool initialized = false;
    QString fileName;            // empty: tracing off
    std::unique_ptr<QFile> file; // opened (and truncated) at the first event for fileName
    bool failed = false;         // fileName could not be opened: warned once
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

    void writeLocked(const QJsonObject &event)
    {
        if (fileName.isEmpty() || failed)
            return;
        if (!file) {
            file = std::make_unique<QFile>(fileName);
            if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
                qCWarning(lcTrace, "RunGroup: Cannot write the trace file %s: %s",
                          qPrintable(fileName), qPrintable(file->errorString()));
                file.reset();
                failed = true;
                return;
            }
            file->write("[\n");
        }
        if (file->write(QJsonDocument(event).toJson(QJsonDocument::Compact) + ",\n") < 0) {
            qCWarning(lcTrace, "RunGroup: Cannot write the trace file %s: %s", qPrintable(fileName),
                      qPrintable(file->errorString()));
            file.reset();
            failed = true;
        }
    }
};

Trace &traceState()
{
    static Trace instance;
    return instance;
}

bool tracing()
{
    Trace &t = traceState();
    std::lock_guard<std::mutex> lock(t.mutex);
    t.initLocked();
    return !t.fileName.isEmpty();
}

qint64 traceNowUs()
{
    Trace &t = traceState();
    std::lock_guard<std::mutex> lock(t.mutex);
    t.initLocked();
    return t.nowUs();
}

QJsonObject traceEvent(const QString &name, const char *phase, int pid, int tid, qint64 ts)
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("ph"), QLatin1String(phase)},
                       {QStringLiteral("pid"), pid},
                       {QStringLiteral("tid"), tid},
                       {QStringLiteral("ts"), ts}};
}

QJsonObject withArgs(QJsonObject event, const QString &key, const QJsonValue &value)
{
    event.insert(QStringLiteral("args"), QJsonObject{{key, value}});
    return event;
}

QJsonObject metadata(const char *kind, int pid, int tid, const QString &value)
{
    return withArgs(traceEvent(QLatin1String(kind), "M", pid, tid, 0), QStringLiteral("name"),
                    value);
}

} // namespace

void RunTrace::setFile(const QString &fileName)
{
    Trace &t = traceState();
    std::lock_guard<std::mutex> lock(t.mutex);
    t.initLocked();
    t.fileName = fileName;
    t.file.reset();
    t.failed = false;
}

QString RunTrace::file()
{
    Trace &t = traceState();
    std::lock_guard<std::mutex> lock(t.mutex);
    t.initLocked();
    return t.fileName;
}

// The 1.0 names.
void RunGroup::setTraceFile(const QString &fileName)
{
    RunTrace::setFile(fileName);
}

QString RunGroup::traceFile()
{
    return RunTrace::file();
}

void RunObserver::attachIfWanted(RunGroup *group)
{
    if (!runLogCategory() && !tracing())
        return;
    if (!Extension::find<RunObserver>(group))
        new RunObserver(group);
}

RunObserver::RunObserver(RunGroup *group)
    : QObject(group), m_group(group), m_traceId([] {
          Trace &t = traceState();
          std::lock_guard<std::mutex> lock(t.mutex);
          return ++t.groups;
      }())
{
    // Connected from inside start(): started() of this very run is seen.
    connect(group, &RunGroup::started, this, &RunObserver::started);
    connect(group, &RunGroup::stateChanged, this, [this](RunGroup::State state) {
        if (state == RunGroup::State::Interrupting)
            log("%s: run ending after %lld ms", qPrintable(groupLabel()),
                static_cast<long long>(elapsedMs()));
    });
    connect(group, &RunGroup::actorStarted, this, &RunObserver::actorStarted);
    connect(group, &RunGroup::actorRestarting, this, &RunObserver::actorRestarting);
    connect(group, &RunGroup::actorInterrupted, this, &RunObserver::actorInterrupted);
    connect(group, &RunGroup::actorExited, this, &RunObserver::actorExited);
    connect(group, &RunGroup::finished, this, &RunObserver::finished);
}

void RunObserver::log(const char *format, ...) const
{
    const QLoggingCategory *category = runLogCategory();
    if (!category)
        return;
    va_list args;
    va_start(args, format);
    const QString text = QString::vasprintf(format, args);
    va_end(args);
    QMessageLogger(nullptr, 0, nullptr, category->categoryName()).debug("%s", qPrintable(text));
}

void RunObserver::trace(QJsonObject event) const
{
    if (!m_tracing)
        return;
    Trace &t = traceState();
    std::lock_guard<std::mutex> lock(t.mutex);
    t.writeLocked(event);
}

QString RunObserver::label(int index) const
{
    const QString name = m_group->actorName(index);
    return name.isEmpty() ? QStringLiteral("actor %1").arg(index)
                          : QStringLiteral("actor %1 \"%2\"").arg(index).arg(name);
}

QString RunObserver::groupLabel() const
{
    // The same name as the group's process in the trace.
    const QString name = m_group->objectName();
    return name.isEmpty() ? QStringLiteral("RunGroup %1").arg(m_traceId) : name;
}

// Lanes, per group (one trace process each): tid 0 is the run, tid i + 1 actor i. Each
// lane is a "B"/"E" pair per phase: run; running, then interrupting (unless the actor's own
// exit began the shutdown); an "exited" instant with the actor's error.
void RunObserver::started()
{
    m_runTimer.start();
    m_runStart = traceNowUs();
    m_tracing = tracing();
    const int n = m_group->count();
    m_exitAt.assign(size_t(n), -1);
    m_interrupting.assign(size_t(n), 0);
    log("%s: run started with %d actors", qPrintable(groupLabel()), n);
    const int pid = m_traceId;
    trace(metadata("process_name", pid, 0, groupLabel()));
    trace(metadata("thread_name", pid, 0, QStringLiteral("run")));
    trace(traceEvent(QStringLiteral("run"), "B", pid, 0, m_runStart));
    for (int i = 0; i < n; ++i) {
        const int tid = i + 1;
        trace(metadata("thread_name", pid, tid, label(i)));
        trace(withArgs(traceEvent(QStringLiteral("thread_sort_index"), "M", pid, tid, 0),
                       QStringLiteral("sort_index"), tid));
    }
}

// An actor's lane runs from its start: within start(), or later once its dependencies are
// ready (and again after a restart).
void RunObserver::actorStarted(int index)
{
    if (index < 0 || size_t(index) >= m_exitAt.size())
        return;
    log("%s started", qPrintable(label(index)));
    m_interrupting[size_t(index)] = kRunning;
    trace(traceEvent(QStringLiteral("running"), "B", m_traceId, index + 1, traceNowUs()));
}

// A restart closes the lane's "running" phase; the next actorStarted() opens another.
void RunObserver::actorRestarting(int index, const RunError &error, int attempt)
{
    if (index < 0 || size_t(index) >= m_exitAt.size())
        return;
    log("%s restarting (attempt %d) after %lld ms: %s", qPrintable(label(index)), attempt,
        static_cast<long long>(elapsedMs()), qPrintable(error.toString()));
    const qint64 now = traceNowUs();
    if (std::exchange(m_interrupting[size_t(index)], kNoLane) == kRunning)
        trace(traceEvent(QStringLiteral("running"), "E", m_traceId, index + 1, now));
    QJsonObject restarting =
        withArgs(traceEvent(QStringLiteral("restarting"), "i", m_traceId, index + 1, now),
                 QStringLiteral("error"), error.toString());
    restarting.insert(QStringLiteral("s"), QStringLiteral("t"));
    trace(restarting);
}

// Every actor still running goes from "running" to "interrupting" when the group sends its
// interrupt: at once, after the drain, or in stages with dependencies.
void RunObserver::actorInterrupted(int index)
{
    if (index < 0 || size_t(index) >= m_exitAt.size() || m_exitAt[size_t(index)] >= 0)
        return;
    log("%s interrupted after %lld ms", qPrintable(label(index)),
        static_cast<long long>(elapsedMs()));
    if (m_interrupting[size_t(index)] != kRunning)
        return; // it never started (it waited for its dependencies) or waits to restart
    m_interrupting[size_t(index)] = kInterrupting;
    const qint64 now = traceNowUs();
    trace(traceEvent(QStringLiteral("running"), "E", m_traceId, index + 1, now));
    trace(traceEvent(QStringLiteral("interrupting"), "B", m_traceId, index + 1, now));
}

void RunObserver::actorExited(int index, const RunError &error)
{
    if (index < 0 || size_t(index) >= m_exitAt.size())
        return;
    const qint64 now = traceNowUs();
    m_exitAt[size_t(index)] = now;
    if (error.kind() == RunError::Kind::Timeout)
        log("%s timed out after %lld ms: %s", qPrintable(label(index)),
            static_cast<long long>(elapsedMs()), qPrintable(error.toString()));
    else
        log("%s exited after %lld ms: %s", qPrintable(label(index)),
            static_cast<long long>(elapsedMs()), qPrintable(error.toString()));
    const int tid = index + 1;
    const char lane = std::exchange(m_interrupting[size_t(index)], kNoLane);
    if (lane != kNoLane)
        trace(traceEvent(lane == kInterrupting ? QStringLiteral("interrupting")
                                               : QStringLiteral("running"),
                         "E", m_traceId, tid, now));
    QJsonObject exited = withArgs(traceEvent(QStringLiteral("exited"), "i", m_traceId, tid, now),
                                  QStringLiteral("error"), error.toString());
    exited.insert(QStringLiteral("s"), QStringLiteral("t"));
    trace(exited);
}

void RunObserver::finished(const RunError &error)
{
    log("%s: run finished after %lld ms: %s", qPrintable(groupLabel()),
        static_cast<long long>(elapsedMs()), qPrintable(error.toString()));
    trace(withArgs(traceEvent(QStringLiteral("run"), "E", m_traceId, 0, traceNowUs()),
                   QStringLiteral("error"), error.toString()));
}
