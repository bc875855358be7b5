// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_SIGNALWATCHER_P_H
#define RUNGROUP_SIGNALWATCHER_P_H

#include <QtCore/QList>
#include <QtCore/QObject>

// Watches the process's stop signals for one signal-handler actor on the thread it lives
// on. Any number of watchers may exist at once (across groups and threads).
// - POSIX (signalwatcher_posix.cpp): the C handler only writes the signal number to this
//   watcher's pipe (async-signal-safe); a QSocketNotifier turns that into received().
//   Each signal's previous disposition is saved when its first watcher appears and
//   restored when its last one is destroyed.
// - Windows (signalwatcher_win.cpp): console control events, seen by one
//   SetConsoleCtrlHandler() routine while any watcher lives, as signal numbers: Ctrl+C is
//   SIGINT, Ctrl+Break SIGBREAK, closing the console, logoff and shutdown SIGTERM. The
//   routine sets this watcher's event; a QWinEventNotifier turns that into received().
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    // Returns true if signal n can be watched; otherwise returns false. Windows: SIGINT,
    // SIGBREAK and SIGTERM only. POSIX: false outside 1 to SIGRTMAX, SIGKILL and SIGSTOP (they
    // cannot be caught), the faults SIGSEGV, SIGBUS, SIGFPE and SIGILL (a handler that returns runs
    // the faulting instruction again, forever), and the real-time signals the C library keeps for
    // itself (glibc: 32 to SIGRTMIN - 1).
    static bool canWatch(int n);
    // Returns true if every number in signalNumbers can be watched; otherwise returns
    // false and sets *bad to the first number that cannot.
    static bool canWatch(const QList<int> &signalNumbers, int *bad)
    {
        for (int n : signalNumbers) {
            if (!canWatch(n)) {
                *bad = n;
                return false;
            }
        }
        return true;
    }

    // Installs the handlers. On failure (no free slot, no pipe or event, a sigaction() or
    // SetConsoleCtrlHandler() that fails) installs nothing, returns nullptr and sets
    // *errorString; the failed sigaction() gives
    // "RunGroup: Cannot install the handler of signal <n>: <strerror>".
    static SignalWatcher *create(const QList<int> &signalNumbers, QString *errorString,
                                 QObject *parent = nullptr, bool exitOnSignal = false);
    // Installs handlers that end the process while the returned watcher lives: one of
    // signalNumbers makes the C handler (Windows: the console routine) write a line to
    // stderr and _exit(128 + n) (async-signal-safe, so it works while every thread is stuck). For
    // the second-signal policy; on failure returns nullptr and sets *errorString.
    static SignalWatcher *createExitGuard(const QList<int> &signalNumbers, QString *errorString)
    {
        return create(signalNumbers, errorString, nullptr, true);
    }
    ~SignalWatcher() override;

    // Signals that are reported every time they arrive (a burst coalesced into one
    // received()), not only once: RunGroup::setReloadSignals().
    void setRepeating(const QList<int> &signalNumbers) { m_repeating = signalNumbers; }

Q_SIGNALS:
    // Emitted on the watcher's thread with the first watched signal that arrived (and for
    // the repeating ones, each time they arrive).
    void received(int signalNumber);

private:
    SignalWatcher(int slot, qintptr wake, QObject *parent);
    void drain();

    const int m_slot;
    const qintptr m_wake;          // POSIX: the pipe's read end; Windows: the slot's event handle
    QObject *m_notifier = nullptr; // QSocketNotifier on POSIX, QWinEventNotifier on Windows
    bool m_fired = false;
    QList<int> m_repeating;
};

#endif // RUNGROUP_SIGNALWATCHER_P_H
