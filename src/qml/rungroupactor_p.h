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

#include <QtCore/QPointer>

// Everything here belongs to the GUI thread (the actor's and its group's thread).
class RunGroupActorPrivate
{
    Q_DECLARE_PUBLIC(RunGroupActor)
public:
    explicit RunGroupActorPrivate(RunGroupActor *q) : q_ptr(q) { }

    static RunGroupActorPrivate *get(RunGroupActor *actor) { return actor->d_func(); }

    void setMembership(QObject *group, int index);
    void setRunning(bool running);
    void setError(const RunError &error);

    RunGroupActor *q_ptr;
    QString name;
    QPointer<QObject> group; // the QmlRunGroup this actor joined
    int index = -1;
    bool running = false;
    RunError error;
    // Set while the group is being destroyed: interrupts then end the actor without
    // running QML handlers, whose context may already be going away.
    bool groupDestroying = false;
};

#endif // RUNGROUPQML_RUNGROUPACTOR_P_H
