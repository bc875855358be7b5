// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "signalwatcher_p.h"

#include "immediateexit_p.h"

#include <QtCore/QSocketNotifier>
#include <QtCore/QThread>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

namespace {
// Signals 1..64 (Linux's NSIG - 1) fit one 64-bit mask per slot, signal n at bit n - 1.
constexpr int kMaxSignal = 64;
// Watchers alive at once, process-wide. Each is one signal-handler actor of a running group.
constexpr int kMaxSlots = 64;

// Read by the C handler, so every field is a lock-free atomic. All accesses are
// sequentially consistent: release() relies on "store fd = -1, then read busy" and the
// handler's "increment busy, then read fd" being ordered against each other.
struct Slot
{
    std::atomic<int> writeFd{-1};
    std::atomic<std::uint64_t> mask{0};
    std::atomic<int> busy{0};         // handlers currently reading this slot
    std::atomic<int> exitOnSignal{0}; // an exit guard: end the process instead of writing
};
static_assert(std::atomic<int>::is_always_lock_free);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

Slot g_slots[kMaxSlots];

// Guarded by g_mutex; used only outside signal handlers.
std::mutex g_mutex;
int g_watchers[kMaxSignal + 1] = {};
struct sigaction g_previous[kMaxSignal + 1];

// Appends the decimal digits of n (0 <= n < 1000) to p; returns the new end.
char *appendNumber(char *p, int n)
{
    if (n >= 100)
        *p++ = char('0' + n / 100);
    if (n >= 10)
        *p++ = char('0' + n / 10 % 10);
    *p++ = char('0' + n % 10);
    return p;
}

// The second-signal policy, from the C handler: write(2) and _exit(2) only.
[[noreturn]] void exitAtOnce(int signalNumber)
{
    static const char head[] = "RunGroup: Received signal ";
    static const char middle[] = " while shutting down; exiting at once with code ";
    char message[sizeof head + sizeof middle + 8];
    char *p = message;
    for (const char *s = head; *s; ++s)
        *p++ = *s;
    p = appendNumber(p, signalNumber);
    for (const char *s = middle; *s; ++s)
        *p++ = *s;
    p = appendNumber(p, 128 + signalNumber);
    *p++ = '\n';
    ImmediateExit::exit(128 + signalNumber, message, size_t(p - message));
}

extern "C" void rungroupSignalHandler(int signalNumber)
{
    // Only async-signal-safe work here: atomics and write(2).
    const int savedErrno = errno;
    const std::uint64_t bit = std::uint64_t(1) << (signalNumber - 1);
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    for (Slot &slot : g_slots) {
        slot.busy.fetch_add(1);
        if (slot.mask.load() & bit) {
            if (slot.exitOnSignal.load())
                exitAtOnce(signalNumber);
            const int fd = slot.writeFd.load();
            if (fd >= 0) {
                // A full pipe already holds a pending signal for this watcher: drop the byte.
                [[maybe_unused]] const ssize_t n = ::write(fd, &byte, 1);
            }
        }
        slot.busy.fetch_sub(1);
    }
    errno = savedErrno;
}

// Empties slot and closes its write end. Requires g_mutex.
void releaseSlot(Slot &slot)
{
    const int writeFd = slot.writeFd.load();
    slot.mask.store(0);
    slot.exitOnSignal.store(0);
    slot.writeFd.store(-1);
    // A handler that read the old fd may still be writing to it: wait before closing, or
    // the descriptor could be reused and receive a stray byte.
    while (slot.busy.load() != 0)
        QThread::yieldCurrentThread();
    ::close(writeFd);
}

// A pipe whose ends are non-blocking and closed on exec. Linux has pipe2(); macOS sets the
// flags afterwards (no other thread of ours execs meanwhile: QProcess forks with its own).
bool openPipe(int fds[2])
{
#ifdef Q_OS_LINUX
    return ::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0;
#else
    if (::pipe(fds) != 0)
        return false;
    for (int i = 0; i < 2; ++i) {
        ::fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        ::fcntl(fds[i], F_SETFL, ::fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    }
    return true;
#endif
}

std::uint64_t maskOf(const QList<int> &signalNumbers)
{
    std::uint64_t mask = 0;
    for (int n : signalNumbers)
        mask |= std::uint64_t(1) << (n - 1);
    return mask;
}
} // namespace

bool SignalWatcher::canWatch(int n)
{
    if (n <= 0 || n > kMaxSignal || n >= NSIG)
        return false;
#ifdef SIGRTMAX // Linux; macOS has no real-time signals
    if (n > SIGRTMAX)
        return false;
#endif
    switch (n) {
    case SIGKILL:
    case SIGSTOP: // the kernel does not let them be caught
    case SIGSEGV:
    case SIGBUS:
    case SIGFPE:
    case SIGILL: // a fault: returning from the handler runs the faulting instruction again
        return false;
    default: break;
    }
    // The C library keeps the first real-time signals for itself (glibc: 32 and 33, for
    // thread cancellation and setxid) and refuses handlers for them: SIGRTMIN, a runtime
    // value, is the first one left to applications.
#ifdef __SIGRTMIN
    if (n >= __SIGRTMIN && n < SIGRTMIN)
        return false;
#endif
    return true;
}

SignalWatcher *SignalWatcher::create(const QList<int> &signalNumbers, QString *errorString,
                                     QObject *parent, bool exitOnSignal)
{
    int fds[2];
    if (!openPipe(fds)) {
        *errorString = QStringLiteral("RunGroup: Cannot create a pipe for the signal handler: ")
                       + QString::fromLocal8Bit(strerror(errno));
        return nullptr;
    }
    const std::uint64_t mask = maskOf(signalNumbers);
    std::lock_guard<std::mutex> lock(g_mutex);
    int slot = -1;
    for (int i = 0; i < kMaxSlots && slot < 0; ++i) {
        if (g_slots[i].writeFd.load() < 0)
            slot = i;
    }
    if (slot < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        *errorString = QStringLiteral("RunGroup: Too many signal-handler actors running at once");
        return nullptr;
    }
    g_slots[slot].writeFd.store(fds[1]);
    g_slots[slot].exitOnSignal.store(exitOnSignal ? 1 : 0);
    g_slots[slot].mask.store(mask);
    // Install after the slot is live, so a signal arriving right away is not lost.
    for (int n = 1; n <= kMaxSignal; ++n) {
        if (!(mask & (std::uint64_t(1) << (n - 1))) || g_watchers[n]++ > 0)
            continue;
        struct sigaction action = {};
        action.sa_handler = rungroupSignalHandler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        if (::sigaction(n, &action, &g_previous[n]) == 0)
            continue;
        const int error = errno;
        // Undone in reverse: the signals before n get their previous dispositions back
        // (where this watcher was the first), and the slot is free again.
        --g_watchers[n];
        for (int m = n - 1; m >= 1; --m) {
            if ((mask & (std::uint64_t(1) << (m - 1))) && --g_watchers[m] == 0)
                ::sigaction(m, &g_previous[m], nullptr);
        }
        releaseSlot(g_slots[slot]);
        ::close(fds[0]);
        *errorString = QStringLiteral("RunGroup: Cannot install the handler of signal %1: %2")
                           .arg(n)
                           .arg(QString::fromLocal8Bit(strerror(error)));
        return nullptr;
    }
    return new SignalWatcher(slot, qintptr(fds[0]), parent);
}

SignalWatcher::SignalWatcher(int slot, qintptr readFd, QObject *parent)
    : QObject(parent), m_slot(slot), m_wake(readFd)
{
    auto *notifier = new QSocketNotifier(readFd, QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, &SignalWatcher::drain);
    m_notifier = notifier;
}

SignalWatcher::~SignalWatcher()
{
    delete m_notifier;
    std::lock_guard<std::mutex> lock(g_mutex);
    Slot &slot = g_slots[m_slot];
    const std::uint64_t mask = slot.mask.load();
    // Restore the previous dispositions first: no new handler invocation starts after this
    // for signals nobody else watches.
    for (int n = 1; n <= kMaxSignal; ++n) {
        if ((mask & (std::uint64_t(1) << (n - 1))) && --g_watchers[n] == 0)
            ::sigaction(n, &g_previous[n], nullptr);
    }
    releaseSlot(slot);
    ::close(int(m_wake));
}

void SignalWatcher::drain()
{
    unsigned char buffer[64];
    int first = 0;
    QList<int> repeated; // the repeating signals of this burst, once each
    for (;;) {
        const ssize_t n = ::read(int(m_wake), buffer, sizeof buffer);
        if (n > 0) {
            for (ssize_t i = 0; i < n; ++i) {
                const int signalNumber = buffer[i];
                if (m_repeating.contains(signalNumber)) {
                    if (!repeated.contains(signalNumber))
                        repeated.append(signalNumber);
                } else if (!first) {
                    first = signalNumber;
                }
            }
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break;
    }
    // received() is connected queued: nothing here is destroyed by a slot meanwhile.
    for (int signalNumber : std::as_const(repeated))
        Q_EMIT received(signalNumber);
    if (first && !m_fired) {
        // One exit per actor: later signals (a storm of SIGTERMs) are drained and ignored.
        m_fired = true;
        Q_EMIT received(first);
    }
}
