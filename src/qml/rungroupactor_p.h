// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUPQML_RUNGROUPACTOR_P_H
#define RUNGROUPQML_RUNGROUPACTOR_P_H

#include <RunGroupQml/rungroupactor.h>

#include <QtCore/QList>
#include <QtCore/QPointer>

#include <mutex>

class RunGroup;

// Everything here belongs to the GUI thread (the actor's and its group's thread), but
// core and coreIndex, which markReady() may read from any thread.
class RunGroupActorPrivate
{
    Q_DECLARE_PUBLIC(RunGroupActor)
public:
    explicit RunGroupActorPrivate(RunGroupActor *q) : q_ptr(q) { }

    static RunGroupActorPrivate *get(RunGroupActor *actor) { return actor->d_func(); }

    void setMembership(QObject *group, RunGroup *core, int index);
    void setRunning(bool running);
    void setError(const RunError &error);
    void setStarted(bool started);
    void setReady(bool ready);
    void setRestarts(int restarts);
    // Give the group this actor's exit policy, restart limit and backoff: all when it joins,
    // one by one when they change while the group is idle or finished. GUI thread.
    void applyRestarts();
    void applyExitPolicy();
    void applyRestartLimit();
    void applyRestartBackoff();
    // Whether a restart property may change now; warns (naming it) while the group runs.
    bool canChangeRestarts(const char *property);
    void afterListChanged();
    // "actor 1 (web)", or "actor web" before it joins a group.
    QString label() const;

    static void appendAfter(QQmlListProperty<QObject> *list, QObject *object);
    static qsizetype afterCount(QQmlListProperty<QObject> *list);
    static QObject *afterAt(QQmlListProperty<QObject> *list, qsizetype index);
    static void clearAfter(QQmlListProperty<QObject> *list);
    static void replaceAfter(QQmlListProperty<QObject> *list, qsizetype index, QObject *object);
    static void removeLastAfter(QQmlListProperty<QObject> *list);

    RunGroupActor *q_ptr;
    QString name;
    QPointer<QObject> group; // the QmlRunGroup this actor joined
    int index = -1;
    bool running = false;
    RunError error;
    // Set while the group is being destroyed: interrupts then end the actor without
    // running QML handlers, whose context may already be going away.
    bool groupDestroying = false;

    // Ordering (docs/ordering.md). The group turns after into dependencies when the actor
    // joins it and before each start (QmlRunGroup::applyOrdering()).
    QList<QPointer<QObject>> after;
    bool afterDirty = true;    // after changed since the group last read it
    bool afterWarned = false;  // warned of a change while running, this run
    QList<int> requestedAfter; // the indices last given to setDependencies()
    bool requiresReady = false;
    bool started = false;
    bool ready = false;

    // Exit policy and restarts (docs/qml.md). Defaults: those of ::RunGroup.
    int exitPolicy = 0; // a ::RunGroup::ExitPolicy
    int maxRestarts = 5;
    qint64 restartWindowMs = 10000;
    qint64 restartBackoffMs = 100;
    qint64 restartBackoffMaxMs = 5000;
    int restarts = 0; // restartCount() of the current or last run

    // markReady() from another thread (a ThreadActor's execute()) reads these under
    // coreMutex; the GUI thread writes them under it, and reads them without.
    std::mutex coreMutex;
    RunGroup *core = nullptr; // the ::RunGroup behind group, cleared before it is destroyed
    int coreIndex = -1;
};

#endif // RUNGROUPQML_RUNGROUPACTOR_P_H
