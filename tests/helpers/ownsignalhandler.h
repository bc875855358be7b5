// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// A counting handler of its own for a signal, installed around a test: a group that fails
// to catch the signal does not kill the test, and restoring dispositions can be checked.

#pragma once

#include <QtCore/QtGlobal>

#include <array>
#include <atomic>
#include <csignal>
#include <cstddef>

#ifdef Q_OS_WIN
// Windows: the signal-handler actor watches console control events, which no test sends to
// itself by accident, and signal() handlers have nothing to do with them: nothing to
// install. The same interface, so the tests that use it for safety build unchanged.
class OwnSignalHandler
{
public:
    explicit OwnSignalHandler(int) { }
    bool isInstalled() const { return true; }
    int calls() const { return 0; }
};
#else
// Lock-free atomics are async-signal-safe.
inline std::array<std::atomic<int>, NSIG> g_ownSignalCalls{};

inline void ownSignalHandler(int signalNumber)
{
    if (signalNumber > 0 && signalNumber < NSIG)
        g_ownSignalCalls[size_t(signalNumber)].fetch_add(1);
}

// Installs a counting handler for one signal (so a group that fails to catch it does not
// kill the test) and restores whatever was there before on destruction.
class OwnSignalHandler
{
public:
    explicit OwnSignalHandler(int signalNumber) : m_signal(signalNumber)
    {
        struct sigaction action = {};
        action.sa_handler = ownSignalHandler;
        sigemptyset(&action.sa_mask);
        ::sigaction(m_signal, &action, &m_previous);
    }
    ~OwnSignalHandler() { ::sigaction(m_signal, &m_previous, nullptr); }
    bool isInstalled() const
    {
        struct sigaction current = {};
        ::sigaction(m_signal, nullptr, &current);
        return !(current.sa_flags & SA_SIGINFO) && current.sa_handler == ownSignalHandler;
    }
    int calls() const { return g_ownSignalCalls[size_t(m_signal)].load(); }

private:
    int m_signal;
    struct sigaction m_previous = {};
};
#endif // Q_OS_WIN
