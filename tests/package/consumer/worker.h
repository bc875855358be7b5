// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_CONSUMER_WORKER_H
#define RUNGROUP_CONSUMER_WORKER_H

#include <RunGroupQml/ThreadActor>

#include <QtQml/qqml.h>

// A C++ ThreadActor subclass in the consumer's own QML module (import Consumer), built
// against an installed RunGroup::Qml: its .qmltypes must name ThreadActor as prototype, so
// that qmllint knows the inherited properties (name) set in Main.qml.
class Worker : public ThreadActor
{
    Q_OBJECT
    Q_PROPERTY(QString message MEMBER m_message NOTIFY messageChanged)
    QML_ELEMENT

Q_SIGNALS:
    void messageChanged();

protected:
    void aboutToRun() override { m_runMessage = m_message; } // GUI thread
    RunError execute() override { return RunError::failure(m_runMessage); }

private:
    QString m_message;
    QString m_runMessage;
};

#endif
