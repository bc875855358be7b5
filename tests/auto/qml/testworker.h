// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_TESTS_TESTWORKER_H
#define RUNGROUP_TESTS_TESTWORKER_H

#include <RunGroupQml/ThreadActor>

#include <QtCore/QString>
#include <QtQml/qqml.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

// A C++ ThreadActor subclass declared in QML by the tests (module RunGroupTest).
// execute() waits until interrupted, or failAfter ms (>= 0), then returns; it may fail
// with failMessage or throw. execute() reads only the copies aboutToRun() makes on the
// GUI thread, as docs/qml.md recommends.
class TestWorker : public ThreadActor
{
    Q_OBJECT
    // ms until execute() returns by itself; -1 (default): only when interrupted.
    Q_PROPERTY(int failAfter MEMBER m_failAfter NOTIFY failAfterChanged)
    // Empty: return no error; otherwise RunError::failure(failMessage).
    Q_PROPERTY(QString failMessage MEMBER m_failMessage NOTIFY failMessageChanged)
    // Throw std::runtime_error(failMessage) instead of returning.
    Q_PROPERTY(bool throwException MEMBER m_throwException NOTIFY throwExceptionChanged)
    // ms after which execute() calls markReady() from the actor's thread; -1 (default):
    // never.
    Q_PROPERTY(int markReadyAfter MEMBER m_markReadyAfter NOTIFY markReadyAfterChanged)
    // Number of interrupt() calls (GUI thread).
    Q_PROPERTY(int interruptCount READ interruptCount NOTIFY interruptCountChanged)
    // Number of execute() calls that returned, counted on the GUI thread.
    Q_PROPERTY(int executeCount READ executeCount NOTIFY executeCountChanged)
    QML_ELEMENT

public:
    explicit TestWorker(QObject *parent = nullptr);

    int interruptCount() const { return m_interruptCount; }
    int executeCount() const { return m_executeCount; }

    // Process-wide: execute() calls running now / returned so far, any TestWorker.
    static int runningExecutes() { return s_running.load(); }
    static int returnedExecutes() { return s_returned.load(); }

Q_SIGNALS:
    void failAfterChanged();
    void failMessageChanged();
    void throwExceptionChanged();
    void markReadyAfterChanged();
    void interruptCountChanged();
    void executeCountChanged();

protected:
    void aboutToRun() override;
    RunError execute() override;
    void interrupt(const RunError &error) override;

private:
    int m_failAfter = -1;
    QString m_failMessage;
    bool m_throwException = false;
    int m_markReadyAfter = -1;
    int m_interruptCount = 0;
    int m_executeCount = 0;

    // What execute() reads: copied by aboutToRun() before the thread starts.
    int m_runFailAfter = -1;
    QString m_runFailMessage;
    bool m_runThrowException = false;
    int m_runMarkReadyAfter = -1;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false; // guarded by m_mutex

    static std::atomic<int> s_running;
    static std::atomic<int> s_returned;
};

#endif // RUNGROUP_TESTS_TESTWORKER_H
