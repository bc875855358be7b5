// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_HEALTHMETRICS_P_H
#define RUNGROUP_HEALTHMETRICS_P_H

//
//  W A R N I N G
//  -------------
//
// This file is not part of the RunGroup API. It exists purely as an
// implementation detail. This header file may change from version to
// version without notice, or even be removed.
//
// We mean it.
//

#include <QtCore/QByteArray>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <vector>

// What /metrics reports: a snapshot the endpoint keeps up to date on the group's thread.
struct ActorMetrics
{
    QString name; // actorName(), or "actor <index>"
    bool up = false;
    bool ready = false;
    QMap<QByteArray, quint64> exits; // by error kind: no_error, failure, ...
    quint64 interrupts = 0;
    quint64 restarts = 0;
};

struct GroupMetrics
{
    quint64 runs = 0;
    QByteArray state;         // the current state, lower case
    QList<QByteArray> states; // every state, lower case
    bool ready = false;       // what /readyz answers
    std::vector<ActorMetrics> actors;
    double timeToReadySeconds = -1;      // last run that got there; < 0: never
    double shutdownDurationSeconds = -1; // last finished shutdown; < 0: none yet
};

namespace HealthMetrics {
// The exposition: Prometheus text format 0.0.4, or OpenMetrics 1.0.0 (with "# EOF").
QByteArray write(const GroupMetrics &metrics, bool openMetrics);
// A label value with \, " and newline escaped, as both formats want them.
QByteArray escapeLabelValue(const QString &value);
// The content types of the two formats.
QByteArray contentType(bool openMetrics);
// Whether an Accept header asks for OpenMetrics.
bool wantsOpenMetrics(const QByteArray &accept);
} // namespace HealthMetrics

#endif // RUNGROUP_HEALTHMETRICS_P_H
