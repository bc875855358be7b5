// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUPQML_ACTOR_P_H
#define RUNGROUPQML_ACTOR_P_H

#include <RunGroupQml/rungroupactor.h>

// QML: Actor { name: "ui"; onInterrupted: (error) => …; } — an event-driven actor on the
// GUI thread. It runs from its group's start until exit() or exit(message) is called.
class Actor : public RunGroupActor
{
    Q_OBJECT
    QML_ELEMENT

public:
    explicit Actor(QObject *parent = nullptr);

    // Ends this actor: an empty message is no error, any other RunError::failure(message).
    // Ignored when the actor is not running (before the group's start, a second time, or
    // after the group finished); outside a RunGroup it prints a warning.
    Q_INVOKABLE void exit(const QString &message = QString());

Q_SIGNALS:
    // The actor's interrupt, emitted on the GUI thread once per run with the run's first
    // error. A handler must make the actor exit (now or later); with no handler connected
    // the actor exits at once.
    void interrupted(const RunError &error);
    // Emitted by exit() while the actor is running: the group's exit signal for it.
    void exited(const RunError &error);

private:
    int addTo(RunGroup *group) override;
    void handleInterrupt(const RunError &error);
};

#endif // RUNGROUPQML_ACTOR_P_H
