// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The signal watcher on Windows: console control events as signal numbers.
//
// Windows has no POSIX signals to stop a program; a console program gets console control
// events instead, delivered by calling a routine registered with SetConsoleCtrlHandler()
// on a thread the system creates for each event. The mapping (docs/building.md, "Platform
// differences"):
//   CTRL_C_EVENT                                          SIGINT   (2)
//   CTRL_BREAK_EVENT                                      SIGBREAK (21)
//   CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT  SIGTERM (15)
// An event whose signal no watcher watches is passed on to the next routine (the system's
// default one ends the process, as an unhandled signal does on POSIX). The routine is not
// a signal handler: it may block and call anything; it still only sets events and reads
// atomics, so that a watcher can go away while it runs (the busy count, as on POSIX).

#include "signalwatcher_p.h"

#include "immediateexit_p.h"
#include "logging_p.h"
#include "testseams_p.h"

#include <QtCore/QThread>
#include <QtCore/QWinEventNotifier>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <mutex>

#include <qt_windows.h>

namespace {
constexpr int kMaxSignal = 31; // SIGBREAK is 21: a 32-bit mask holds them all
constexpr int kMaxSlots = 64;  // watchers alive at once, process-wide

// Read by the console routine on the system's thread, so every field is a lock-free atomic.
struct Slot
{
    std::atomic<void *> event{nullptr}; // auto-reset event the watcher waits on
    std::atomic<std::uint32_t> mask{0};
    std::atomic<int> first{0};             // the first signal that arrived, 0 until one did
    std::atomic<std::uint32_t> arrived{0}; // every signal that arrived since the last drain
    std::atomic<int> busy{0};              // routines currently reading this slot
    std::atomic<int> exitOnSignal{0};      // an exit guard: end the process instead
};
static_assert(std::atomic<void *>::is_always_lock_free);

Slot g_slots[kMaxSlots];

// Guarded by g_mutex.
std::mutex g_mutex;
int g_watchers = 0; // the routine is registered while this is positive

int signalOf(DWORD event)
{
    switch (event) {
    case CTRL_C_EVENT: return SIGINT;
    case CTRL_BREAK_EVENT: return SIGBREAK;
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT: return SIGTERM;
    default: return 0;
    }
}

// Windows ends the process as soon as the routine returns from these, or after its own
// time-out (5 s for closing the console, longer for logoff and shutdown).
bool endsProcessOnReturn(DWORD event)
{
    return event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT;
}

std::uint32_t bitOf(int n)
{
    return std::uint32_t(1) << (n - 1);
}

[[noreturn]] void exitAtOnce(int signalNumber)
{
    char message[128];
    const int length = std::snprintf(message, sizeof message,
                                     "RunGroup: Received signal %d while shutting down; "
                                     "exiting at once with code %d\n",
                                     signalNumber, 128 + signalNumber);
    ImmediateExit::exit(128 + signalNumber, message, size_t(length > 0 ? length : 0));
}

// Hands the event to every watcher of its signal. Returns true if one watches it.
bool dispatch(DWORD event)
{
    const int n = signalOf(event);
    if (n == 0)
        return false;
    bool watched = false;
    for (Slot &slot : g_slots) {
        slot.busy.fetch_add(1);
        if (slot.mask.load() & bitOf(n)) {
            if (slot.exitOnSignal.load())
                exitAtOnce(n);
            if (void *handle = slot.event.load()) {
                // A storm of Ctrl+C coalesces here: the first signal stays, the event is
                // set once until the watcher wakes.
                int none = 0;
                slot.first.compare_exchange_strong(none, n);
                slot.arrived.fetch_or(bitOf(n));
                SetEvent(handle);
                watched = true;
            }
        }
        slot.busy.fetch_sub(1);
    }
    return watched;
}

BOOL WINAPI consoleRoutine(DWORD event)
{
    if (!dispatch(event))
        return FALSE; // the next routine: the system's default ends the process
    if (endsProcessOnReturn(event)) {
        // Returning would end the process now: hold it while the group shuts down and
        // main() returns (which ends this thread with the process), up to the system's
        // time-out.
        Sleep(INFINITE);
    }
    return TRUE;
}

// Empties slot and closes its event. Requires g_mutex.
void releaseSlot(Slot &slot)
{
    void *handle = slot.event.load();
    slot.mask.store(0);
    slot.exitOnSignal.store(0);
    slot.event.store(nullptr);
    // A routine that read the old handle may still be setting it: wait before closing.
    while (slot.busy.load() != 0)
        QThread::yieldCurrentThread();
    slot.first.store(0);
    CloseHandle(handle);
}

QString lastErrorText(DWORD error)
{
    wchar_t *text = nullptr;
    const DWORD length = FormatMessageW(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
        nullptr, error, 0, reinterpret_cast<LPWSTR>(&text), 0, nullptr);
    QString result = length ? QString::fromWCharArray(text, int(length)).trimmed()
                            : QStringLiteral("error %1").arg(error);
    LocalFree(text);
    return result;
}
} // namespace

bool SignalWatcher::canWatch(int n)
{
    return n == SIGINT || n == SIGBREAK || n == SIGTERM;
}

SignalWatcher *SignalWatcher::create(const QList<int> &signalNumbers, QString *errorString,
                                     QObject *parent, bool exitOnSignal)
{
    std::uint32_t mask = 0;
    for (int n : signalNumbers) {
        if (n > 0 && n <= kMaxSignal)
            mask |= bitOf(n);
    }
    HANDLE event = CreateEventW(nullptr, FALSE, FALSE, nullptr); // auto-reset
    if (!event) {
        *errorString = QStringLiteral("RunGroup: Cannot create an event for the signal handler: ")
                       + lastErrorText(GetLastError());
        return nullptr;
    }
    std::lock_guard<std::mutex> lock(g_mutex);
    int slot = -1;
    for (int i = 0; i < kMaxSlots && slot < 0; ++i) {
        if (!g_slots[i].event.load())
            slot = i;
    }
    if (slot < 0) {
        CloseHandle(event);
        *errorString = QStringLiteral("RunGroup: Too many signal-handler actors running at once");
        return nullptr;
    }
    g_slots[slot].first.store(0);
    g_slots[slot].event.store(event);
    g_slots[slot].exitOnSignal.store(exitOnSignal ? 1 : 0);
    g_slots[slot].mask.store(mask);
    // Registered after the slot is live, so an event arriving right away is not lost.
    if (g_watchers++ == 0) {
        if (!SetConsoleCtrlHandler(consoleRoutine, TRUE)) {
            const DWORD error = GetLastError();
            --g_watchers;
            releaseSlot(g_slots[slot]);
            *errorString =
                QStringLiteral("RunGroup: Cannot install the console control handler: %1")
                    .arg(lastErrorText(error));
            return nullptr;
        }
        // A GUI program without a console gets no console events: the routine is
        // registered but never called (docs/building.md, "Platform differences").
        if (!GetConsoleWindow())
            qCDebug(lcSignals, "No console attached: console control events will not arrive");
    }
    return new SignalWatcher(slot, qintptr(event), parent);
}

SignalWatcher::SignalWatcher(int slot, qintptr event, QObject *parent)
    : QObject(parent), m_slot(slot), m_wake(event)
{
    auto *notifier = new QWinEventNotifier(reinterpret_cast<HANDLE>(event), this);
    connect(notifier, &QWinEventNotifier::activated, this, &SignalWatcher::drain);
    m_notifier = notifier;
}

SignalWatcher::~SignalWatcher()
{
    delete m_notifier;
    std::lock_guard<std::mutex> lock(g_mutex);
    // Unregistered first when this is the last watcher: no new routine call starts after
    // this (one already running still finds the slot, until releaseSlot() waits it out).
    if (--g_watchers == 0)
        SetConsoleCtrlHandler(consoleRoutine, FALSE);
    releaseSlot(g_slots[m_slot]);
}

void SignalWatcher::drain()
{
    Slot &slot = g_slots[m_slot];
    const std::uint32_t arrived = slot.arrived.exchange(0);
    // The repeating signals (RunGroup::setReloadSignals()), once per burst.
    for (int n : std::as_const(m_repeating)) {
        if (n >= 1 && n <= kMaxSignal && (arrived & bitOf(n)))
            Q_EMIT received(n);
    }
    int first = slot.first.load();
    if (first && m_repeating.contains(first)) {
        // Not an exit: the first exit signal of this burst, if any, takes its place.
        slot.first.compare_exchange_strong(first, 0);
        first = 0;
        for (int n = 1; n <= kMaxSignal && !first; ++n) {
            if ((arrived & bitOf(n)) && !m_repeating.contains(n))
                first = n;
        }
    }
    if (first && !m_fired) {
        // One exit per actor: later events (a storm of Ctrl+C) are absorbed and ignored.
        m_fired = true;
        Q_EMIT received(first);
    }
}

bool RunGroupTesting::deliverConsoleControlEvent(unsigned long event)
{
    return dispatch(DWORD(event));
}
