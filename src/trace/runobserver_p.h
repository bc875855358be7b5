// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_RUNOBSERVER_P_H
#define RUNGROUP_RUNOBSERVER_P_H

#include <RunGroup/rungroup.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>

#include <vector>

// Watches a group's runs from its public signals, for the "rungroup.run" logging category
// and the trace file (RUNGROUP_TRACE or RunGroup::setTraceFile()), which it writes event by
// event as the run goes. A child of the group, on its thread; attached by start() only when
// one of the two is on, so an unobserved group pays nothing per actor.
class RunObserver : public QObject
{
    Q_OBJECT
public:
    // Called by RunGroup::start() before started() is emitted.
    static void attachIfWanted(RunGroup *group);

private:
    explicit RunObserver(RunGroup *group);

    void started();
    void actorStarted(int index);
    void actorRestarting(int index, const RunError &error, int attempt);
    void actorInterrupted(int index);
    void actorExited(int index, const RunError &error);
    void finished(const RunError &error);
    void log(const char *format, ...) const Q_ATTRIBUTE_FORMAT_PRINTF(2, 3);
    void trace(QJsonObject event) const;
    QString label(int index) const;
    QString groupLabel() const;
    qint64 elapsedMs() const { return m_runTimer.elapsed(); }

    RunGroup *const m_group;
    const int m_traceId; // the group's process lane in the trace
    QElapsedTimer m_runTimer;
    // This run, in trace microseconds: its start, and each actor's exit (-1: not yet).
    qint64 m_runStart = 0;
    std::vector<qint64> m_exitAt;
    // Each actor's lane: closed, in its "running" phase, or in its "interrupting" phase.
    enum : char { kNoLane, kRunning, kInterrupting };
    std::vector<char> m_interrupting;
    bool m_tracing = false; // this run is traced
};

#endif // RUNGROUP_RUNOBSERVER_P_H
