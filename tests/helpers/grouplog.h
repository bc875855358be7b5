// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Records what a group emits in one run, and checks the sequence.

#pragma once

#include <RunGroup/RunGroup>

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QThread>

#include <mutex>
#include <vector>

#include "rungrouptest.h"

// Records started/actorExited/finished of a group, in emission order. Declare it before
// the group it watches when the group may emit from its destructor.
class GroupLog
{
public:
    enum Type { Started, Exited, Finished };
    struct Event
    {
        Type type;
        int index;
        RunError error;
        RunGroup::State state;
        bool onGroupThread;
    };

    explicit GroupLog(RunGroup *group) : m_group(group)
    {
        m_connections.push_back(
            QObject::connect(group, &RunGroup::started, [this] { add(Started, -1, RunError()); }));
        m_connections.push_back(QObject::connect(
            group, &RunGroup::actorExited,
            [this](int index, const RunError &error) { add(Exited, index, error); }));
        m_connections.push_back(
            QObject::connect(group, &RunGroup::finished,
                             [this](const RunError &error) { add(Finished, -1, error); }));
    }
    ~GroupLog()
    {
        for (const auto &connection : m_connections)
            QObject::disconnect(connection);
    }

    std::vector<Event> events() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_events;
    }
    void clear()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_events.clear();
    }
    int count(Type type) const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        int n = 0;
        for (const Event &event : m_events)
            n += event.type == type;
        return n;
    }
    // The error of the first finished() recorded, or a marker when there is none.
    RunError finishedError() const
    {
        for (const Event &event : events()) {
            if (event.type == Finished)
                return event.error;
        }
        return failure("finished() was not emitted");
    }
    std::vector<Event> exits() const
    {
        std::vector<Event> result;
        for (const Event &event : events()) {
            if (event.type == Exited)
                result.push_back(event);
        }
        return result;
    }
    // The error actorExited() reported for index (the first one, if there were several).
    RunError exitError(int index) const
    {
        for (const Event &event : events()) {
            if (event.type == Exited && event.index == index)
                return event.error;
        }
        return failure("actorExited() was not emitted for this actor");
    }

    // Checks one run's sequence: started() first and once, exactly one actorExited() per
    // actor, finished() once and last, everything on the group's thread. Returns a
    // description of the first violation, or an empty string.
    QString checkRun(int actorCount) const
    {
        const std::vector<Event> all = events();
        if (all.empty())
            return QStringLiteral("no signal was emitted");
        if (all.front().type != Started)
            return QStringLiteral("the first signal is not started()");
        if (all.back().type != Finished)
            return QStringLiteral("the last signal is not finished()");
        std::vector<int> exits(size_t(actorCount), 0);
        int started = 0;
        int finished = 0;
        for (const Event &event : all) {
            if (!event.onGroupThread)
                return QStringLiteral("a signal was emitted off the group's thread");
            switch (event.type) {
            case Started: ++started; break;
            case Finished: ++finished; break;
            case Exited:
                if (event.index < 0 || event.index >= actorCount)
                    return QStringLiteral("actorExited() with bad index %1").arg(event.index);
                ++exits[size_t(event.index)];
                break;
            }
        }
        if (started != 1)
            return QStringLiteral("started() emitted %1 times").arg(started);
        if (finished != 1)
            return QStringLiteral("finished() emitted %1 times").arg(finished);
        for (int i = 0; i < actorCount; ++i) {
            if (exits[size_t(i)] != 1)
                return QStringLiteral("actorExited(%1) emitted %2 times")
                    .arg(i)
                    .arg(exits[size_t(i)]);
        }
        return QString();
    }

private:
    void add(Type type, int index, const RunError &error)
    {
        const bool onGroupThread = QThread::currentThread() == m_group->thread();
        const RunGroup::State state = m_group->state();
        std::lock_guard<std::mutex> lock(m_mutex);
        m_events.push_back({type, index, error, state, onGroupThread});
    }

    RunGroup *m_group;
    mutable std::mutex m_mutex;
    std::vector<Event> m_events;
    std::vector<QMetaObject::Connection> m_connections;
};
