// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Child program of tst_signals: runs a group with addSignalHandler() and reports on stdout.
//
//   rungroup-signal-helper <previous> <signal>...
//
// <previous> is the disposition set before the group exists: "default", "ignore" or
// "handler" (a handler of the helper's own that prints "own handler"). The group listens
// to the given signals (none: addSignalHandler()'s default), next to a few threaded actors
// polling for interruption, so a signal sent from outside may land on any thread.
//
// Prints "started" once the group runs, then "finished: <error>", then for each signal
// "disposition <n>: default|ignore|handler|other" (what it is after the run), then raises
// the first signal again, so the previous disposition shows: killed by it ("default"),
// nothing ("ignore"), or "own handler" printed. Exits 0 after that, 3 on its watchdog.
//
//   rungroup-signal-helper sigaction-fails <signal>... <refused>
//
// Sets a handler of its own ("handler") for each signal, then, through a seccomp filter,
// makes sigaction() fail with EPERM when it would change <refused>'s disposition, and runs a
// group listening to the signals and <refused>, next to a threaded actor that waits for its
// interrupt. Prints "finished: <error>" and each signal's disposition as above, then exits
// 0; 77 when the filter cannot be installed.

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <thread>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

namespace {

volatile sig_atomic_t g_ownHandlerRan = 0;

void ownHandler(int)
{
    g_ownHandlerRan = 1;
}

void say(const QString &line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}

const char *disposition(int signalNumber)
{
    struct sigaction current = {};
    ::sigaction(signalNumber, nullptr, &current);
    if (current.sa_flags & SA_SIGINFO)
        return "other";
    if (current.sa_handler == SIG_DFL)
        return "default";
    if (current.sa_handler == SIG_IGN)
        return "ignore";
    if (current.sa_handler == ownHandler)
        return "handler";
    return "other";
}

#if defined(__x86_64__)
constexpr unsigned kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kAuditArch = AUDIT_ARCH_AARCH64;
#else
constexpr unsigned kAuditArch = 0; // unknown here: the mode is skipped
#endif

// The low 32 bits of system call argument i in seccomp_data (the filter reads 32-bit words).
constexpr unsigned argLow(int i)
{
    return unsigned(offsetof(seccomp_data, args) + sizeof(__u64) * unsigned(i)
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
                    + sizeof(__u32)
#endif
    );
}
constexpr unsigned argHigh(int i)
{
    return argLow(i) ^ unsigned(sizeof(__u32));
}

// From now on, rt_sigaction(refused, act != NULL, ...) fails with EPERM; everything else,
// reading refused's disposition included, is allowed.
bool refuseSigaction(int refused)
{
    if (kAuditArch == 0)
        return false;
    sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kAuditArch, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_rt_sigaction, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, argLow(0)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __u32(refused), 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        // act == NULL only reads the disposition.
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, argLow(1)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, argHigh(1)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
    };
    sock_fprog program = {};
    program.len = static_cast<unsigned short>(sizeof filter / sizeof filter[0]);
    program.filter = filter;
    return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
           && ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

// sigaction() fails for the last signal: the actor exits at once with that error, the
// run finishes, and the handlers it had installed for the others are gone again.
int sigactionFails(QCoreApplication &app, const QList<int> &signalNumbers)
{
    const int refused = signalNumbers.last();
    for (int n : signalNumbers.mid(0, signalNumbers.size() - 1)) {
        struct sigaction action = {};
        sigemptyset(&action.sa_mask);
        action.sa_handler = ownHandler;
        ::sigaction(n, &action, nullptr);
    }
    if (!refuseSigaction(refused)) {
        say(QStringLiteral("skip: cannot install a seccomp filter"));
        return 77;
    }
    QTimer::singleShot(60 * 1000, &app, [] {
        say(QStringLiteral("watchdog"));
        std::_Exit(3);
    });
    RunGroup group;
    if (group.addSignalHandler(signalNumbers) != 0)
        return 2;
    group.add([] {
        while (!QThread::currentThread()->isInterruptionRequested())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
    const RunError error = group.run();
    say(QStringLiteral("finished: ") + error.toString());
    for (int n : signalNumbers)
        say(QStringLiteral("disposition %1: %2").arg(n).arg(QLatin1String(disposition(n))));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments().mid(1);
    if (arguments.isEmpty()) {
        std::fprintf(stderr, "usage: rungroup-signal-helper default|ignore|handler [signal...]\n");
        return 2;
    }
    QList<int> signalNumbers;
    for (const QString &argument : arguments.mid(1))
        signalNumbers.append(argument.toInt());
    if (arguments.first() == QLatin1String("sigaction-fails") && !signalNumbers.isEmpty())
        return sigactionFails(app, signalNumbers);
    const QList<int> watched =
        signalNumbers.isEmpty() ? QList<int>({SIGINT, SIGTERM}) : signalNumbers;

    const QString previous = arguments.first();
    for (int n : watched) {
        struct sigaction action = {};
        sigemptyset(&action.sa_mask);
        if (previous == QLatin1String("ignore"))
            action.sa_handler = SIG_IGN;
        else if (previous == QLatin1String("handler"))
            action.sa_handler = ownHandler;
        else
            action.sa_handler = SIG_DFL;
        ::sigaction(n, &action, nullptr);
    }

    // Never hang the test: give up on our own.
    QTimer::singleShot(60 * 1000, &app, [] {
        say(QStringLiteral("watchdog"));
        std::_Exit(3);
    });

    RunGroup group;
    const int index =
        signalNumbers.isEmpty() ? group.addSignalHandler() : group.addSignalHandler(signalNumbers);
    if (index != 0)
        return 2;
    for (int i = 0; i < 4; ++i) {
        group.add([] {
            while (!QThread::currentThread()->isInterruptionRequested())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
    }
    QObject::connect(&group, &RunGroup::started, [] { say(QStringLiteral("started")); });
    QObject::connect(&group, &RunGroup::finished, &app, [&](const RunError &error) {
        say(QStringLiteral("finished: ") + error.toString());
        QTimer::singleShot(0, &app, [&] {
            for (int n : watched)
                say(QStringLiteral("disposition %1: %2").arg(n).arg(QLatin1String(disposition(n))));
            ::raise(watched.first());
            if (g_ownHandlerRan)
                say(QStringLiteral("own handler"));
            say(QStringLiteral("still alive"));
            app.exit(0);
        });
    });
    group.start();
    return app.exec();
}
