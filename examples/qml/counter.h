// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_EXAMPLE_COUNTER_H
#define RUNGROUP_EXAMPLE_COUNTER_H

#include "sleeper.h"

#include <RunGroupQml/ThreadActor>

#include <QtQml/qqml.h>

// A worker thread that counts, one tick per interval. With failAfter > 0 it fails after
// that many milliseconds, to show what a failing worker does to the whole group.
class Counter : public ThreadActor
{
    Q_OBJECT
    Q_PROPERTY(int interval MEMBER m_interval NOTIFY intervalChanged)
    Q_PROPERTY(int failAfter MEMBER m_failAfter NOTIFY failAfterChanged)
    // The current count, updated on the GUI thread.
    Q_PROPERTY(int value READ value NOTIFY valueChanged)
    QML_ELEMENT

public:
    explicit Counter(QObject *parent = nullptr);

    int value() const { return m_value; }

Q_SIGNALS:
    void intervalChanged();
    void failAfterChanged();
    void valueChanged();

protected:
    void aboutToRun() override;
    RunError execute() override;
    void interrupt(const RunError &error) override;

private:
    void setValue(int value);

    // Properties: GUI thread only.
    int m_interval = 100;
    int m_failAfter = 0;
    int m_value = 0;
    // Copied by aboutToRun() for execute(), which reads nothing else.
    int m_runInterval = 100;
    int m_runFailAfter = 0;
    Sleeper m_sleeper;
};

#endif // RUNGROUP_EXAMPLE_COUNTER_H
