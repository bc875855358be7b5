// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_TESTS_TESTPROBE_H
#define RUNGROUP_TESTS_TESTPROBE_H

#include <QtCore/QObject>
#include <QtQml/qqml.h>

// Process-wide facts for the QML tests (singleton TestProbe in module RunGroupTest).
class TestProbe : public QObject
{
    Q_OBJECT
    // runningExecutes() when the object given to watchDestruction() emitted destroyed();
    // -1 until then.
    Q_PROPERTY(
        int runningAtDestruction MEMBER m_runningAtDestruction NOTIFY runningAtDestructionChanged)
    QML_ELEMENT
    QML_SINGLETON

public:
    using QObject::QObject;

    // TestWorker::execute() calls running now / returned so far, all workers together.
    Q_INVOKABLE int runningExecutes() const;
    Q_INVOKABLE int returnedExecutes() const;
    // Sends signalNumber to this process (raise()).
    Q_INVOKABLE void raise(int signalNumber) const;
    Q_INVOKABLE void watchDestruction(QObject *object);
    // Makes the next count thread creations of the library fail with EAGAIN (0: none), with
    // no parked actor thread to reuse meanwhile (RunGroupTesting::failThreadCreations).
    Q_INVOKABLE void failThreadCreations(int count);

Q_SIGNALS:
    void runningAtDestructionChanged();

private:
    int m_runningAtDestruction = -1;
    int m_idleThreadLimit = -1; // saved by failThreadCreations()
};

#endif // RUNGROUP_TESTS_TESTPROBE_H
