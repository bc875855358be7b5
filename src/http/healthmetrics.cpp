// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "healthmetrics_p.h"

#include <QtCore/QLocale>

#include <cmath>

namespace {
// One metric family: # HELP and # TYPE (and # UNIT in OpenMetrics), then its samples.
class Family
{
public:
    // name is the sample name; a counter's ends in _total, which OpenMetrics leaves out of
    // the family name.
    Family(QByteArray *out, bool openMetrics, const QByteArray &name, const char *type,
           const char *help, const char *unit = nullptr)
        : m_out(out), m_name(name)
    {
        QByteArray family = name;
        if (openMetrics && qstrcmp(type, "counter") == 0 && family.endsWith("_total"))
            family.chop(6);
        if (openMetrics) {
            *out += "# TYPE " + family + ' ' + type + '\n';
            if (unit)
                *out += "# UNIT " + family + ' ' + unit + '\n';
            *out += "# HELP " + family + ' ' + help + '\n';
        } else {
            *out += "# HELP " + family + ' ' + help + '\n';
            *out += "# TYPE " + family + ' ' + type + '\n';
        }
    }

    void sample(const QByteArray &labels, double value)
    {
        *m_out += m_name;
        if (!labels.isEmpty())
            *m_out += '{' + labels + '}';
        *m_out += ' ';
        if (value == std::floor(value) && std::fabs(value) < 1e15)
            *m_out += QByteArray::number(qint64(value));
        else
            *m_out += QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
        *m_out += '\n';
    }

private:
    QByteArray *m_out;
    QByteArray m_name;
};

QByteArray actorLabels(const ActorMetrics &actor, size_t index)
{
    return "actor=\"" + HealthMetrics::escapeLabelValue(actor.name) + "\",index=\""
           + QByteArray::number(qulonglong(index)) + '"';
}
} // namespace

QByteArray HealthMetrics::escapeLabelValue(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (char c : utf8) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    return out;
}

QByteArray HealthMetrics::contentType(bool openMetrics)
{
    return openMetrics
               ? QByteArrayLiteral("application/openmetrics-text; version=1.0.0; charset=utf-8")
               : QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
}

bool HealthMetrics::wantsOpenMetrics(const QByteArray &accept)
{
    // Prometheus asks "application/openmetrics-text;version=1.0.0,...;q=0.5": any mention of
    // the type (not refused with q=0) is a wish we can grant.
    const QList<QByteArray> ranges = accept.split(',');
    for (const QByteArray &range : ranges) {
        const QList<QByteArray> params = range.split(';');
        if (params.constFirst().trimmed().toLower() != "application/openmetrics-text")
            continue;
        bool refused = false;
        for (qsizetype i = 1; i < params.size(); ++i) {
            const QByteArray param = params.at(i).trimmed().toLower();
            if (param.startsWith("q=") && param.mid(2).toDouble() <= 0)
                refused = true;
            if (param.startsWith("version=") && !param.mid(8).startsWith("1.0"))
                refused = true; // only 1.0.0 is written here
        }
        if (!refused)
            return true;
    }
    return false;
}

QByteArray HealthMetrics::write(const GroupMetrics &m, bool om)
{
    QByteArray out;
    out.reserve(1024 + int(m.actors.size()) * 512);

    Family(&out, om, "rungroup_runs_total", "counter", "Runs of the group started.")
        .sample({}, double(m.runs));
    {
        Family state(&out, om, "rungroup_state", "gauge",
                     "The group's state: 1 for the current one, 0 for the others.");
        for (const QByteArray &name : m.states)
            state.sample("state=\"" + name + '"', name == m.state ? 1 : 0);
    }
    Family(&out, om, "rungroup_ready", "gauge",
           "1 while every actor is ready and the run is not stopping (/readyz answers 200).")
        .sample({}, m.ready ? 1 : 0);
    Family(&out, om, "rungroup_actors", "gauge", "Actors in the group.")
        .sample({}, double(m.actors.size()));
    {
        Family up(&out, om, "rungroup_actor_up", "gauge",
                  "1 while the actor runs: started in this run and not exited yet.");
        for (size_t i = 0; i < m.actors.size(); ++i)
            up.sample(actorLabels(m.actors[i], i), m.actors[i].up ? 1 : 0);
    }
    {
        Family ready(&out, om, "rungroup_actor_ready", "gauge",
                     "1 while the actor is ready in this run and not exited yet.");
        for (size_t i = 0; i < m.actors.size(); ++i)
            ready.sample(actorLabels(m.actors[i], i), m.actors[i].ready ? 1 : 0);
    }
    {
        Family exits(&out, om, "rungroup_actor_exits_total", "counter",
                     "Actor exits, by the kind of error they exited with (no_error included).");
        for (size_t i = 0; i < m.actors.size(); ++i) {
            const ActorMetrics &actor = m.actors[i];
            for (auto it = actor.exits.cbegin(); it != actor.exits.cend(); ++it)
                exits.sample(actorLabels(actor, i) + ",kind=\"" + it.key() + '"',
                             double(it.value()));
        }
    }
    {
        Family interrupts(&out, om, "rungroup_actor_interrupts_total", "counter",
                          "Interrupts sent to the actor (one per run that stopped).");
        for (size_t i = 0; i < m.actors.size(); ++i)
            interrupts.sample(actorLabels(m.actors[i], i), double(m.actors[i].interrupts));
    }
    {
        Family restarts(&out, om, "rungroup_actor_restarts_total", "counter",
                        "Restarts of the actor after it exited under a restarting exit policy.");
        for (size_t i = 0; i < m.actors.size(); ++i)
            restarts.sample(actorLabels(m.actors[i], i), double(m.actors[i].restarts));
    }
    {
        Family ready(&out, om, "rungroup_time_to_ready_seconds", "gauge",
                     "Seconds from start() until every actor was ready, in the last run that "
                     "got there.",
                     "seconds");
        if (m.timeToReadySeconds >= 0)
            ready.sample({}, m.timeToReadySeconds);
    }
    {
        Family shutdown(&out, om, "rungroup_shutdown_duration_seconds", "gauge",
                        "Seconds from the beginning of the last shutdown (its drain included) "
                        "until the group finished.",
                        "seconds");
        if (m.shutdownDurationSeconds >= 0)
            shutdown.sample({}, m.shutdownDurationSeconds);
    }
    if (om)
        out += "# EOF\n";
    return out;
}
