// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Runs one group at a scale or under a limit a test cannot impose on its own process, and
// prints what it saw. Exit codes: 0 correct, 1 wrong, 77 the limit could not be imposed.
//
//   rungroup-scale-helper many N      N blocked actors under a 1024 open-file limit
//   rungroup-scale-helper nproc N     N actors with thread creation failing part-way
//   rungroup-scale-helper worker N    addWorkerThread() with N objects, no thread to be had
//   rungroup-scale-helper stack N     N actors whose stacks do not fit the address space

#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include "procstats.h"
#include "testsync.h"

namespace {

constexpr int kExitWrong = 1;
constexpr int kExitSkip = 77;
// Starting 10,000 threads takes seconds, minutes sanitized on a busy machine: no actor
// may give up waiting meanwhile.
constexpr int kStartTimeout = 540000;
// A run that only has to end with a thread error: one that goes on this long hangs.
constexpr int kRunTimeout = 60000;

// Actors blocked until interrupted. With endRun, actor 0 instead exits with an error once
// every other actor is known to run.
struct Actors
{
    std::atomic<int> executed{0};
    std::atomic<int> interrupted{0};
    Semaphore allRunning;
    std::vector<std::unique_ptr<Gate>> gates;

    void addTo(RunGroup &group, int n, bool endRun)
    {
        for (int i = 0; i < n; ++i)
            gates.push_back(std::make_unique<Gate>());
        for (int i = 0; i < n; ++i) {
            Gate *gate = gates[size_t(i)].get();
            if (i == 0 && endRun) {
                group.add(
                    [this] {
                        ++executed;
                        if (!allRunning.acquire(kStartTimeout))
                            return RunError::failure(QStringLiteral("not all actors started"));
                        return RunError::failure(QStringLiteral("actor 0 ended the run"));
                    },
                    [this] { ++interrupted; });
            } else {
                group.add(
                    [this, gate, n] {
                        if (++executed == n)
                            allRunning.release();
                        gate->wait(kStartTimeout);
                    },
                    [this, gate] {
                        ++interrupted;
                        gate->open();
                    });
            }
        }
    }
};

int fail(const char *what)
{
    std::fprintf(stderr, "scale-helper: %s\n", what);
    return kExitWrong;
}

// N actors while the process may hold at most 1024 open files, as on a desktop.
int many(int n)
{
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = std::min<rlim_t>(1024, files.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &files) != 0)
        return kExitSkip;

    RunGroup group;
    group.setStackSize(256 * 1024); // N default stacks would reserve N * 8 MiB
    Actors actors;
    actors.addTo(group, n, true);
    int exits = 0;
    int maxFds = 0;
    QObject::connect(&group, &RunGroup::actorExited, [&] {
        ++exits;
        maxFds = std::max(maxFds, processFdCount());
    });
    const RunError error = group.run();
    std::printf("actors %d exits %d interrupted %d peak-fds %d error %s\n", n, exits,
                actors.interrupted.load(), maxFds, qPrintable(error.toString()));
    if (error.kind() != RunError::Kind::Failure
        || error.message() != QLatin1String("actor 0 ended the run"))
        return fail("wrong first error");
    if (exits != n || actors.executed != n || actors.interrupted != n)
        return fail("an actor was lost");
    return 0;
}

// Makes thread creation fail once this process has `spare` more threads. RLIMIT_NPROC
// counts the user's threads and is not enforced for root, so root becomes nobody first.
bool limitThreads(int spare, rlimit *previous)
{
    if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
        return false;
    getrlimit(RLIMIT_NPROC, previous);
    rlimit limit = *previous;
    limit.rlim_cur = rlim_t(processThreadCount() + spare);
    return setrlimit(RLIMIT_NPROC, &limit) == 0;
}

int nproc(int n)
{
    rlimit previous{};
    if (!limitThreads(4, &previous))
        return kExitSkip;
    RunGroup group;
    Actors actors;
    actors.addTo(group, n, false);
    std::vector<RunError> errors(static_cast<size_t>(n));
    int exits = 0;
    QObject::connect(&group, &RunGroup::actorExited, [&](int index, const RunError &error) {
        ++exits;
        errors[size_t(index)] = error;
    });
    int finished = 0;
    QObject::connect(&group, &RunGroup::finished, [&] { ++finished; });
    const RunError error = group.run();
    // LeakSanitizer needs a thread of its own at exit.
    setrlimit(RLIMIT_NPROC, &previous);

    int failed = -1;
    for (int i = 0; i < n; ++i) {
        if (errors[size_t(i)].message().startsWith(QLatin1String("RunGroup: Cannot start"))) {
            failed = i;
            break;
        }
    }
    std::printf("actors %d started %d exits %d finished %d first-failed %d error %s\n", n,
                actors.executed.load(), exits, finished, failed, qPrintable(error.toString()));
    if (failed < 0)
        return kExitSkip; // the limit was not enforced: nothing was tested
    if (exits != n || finished != 1)
        return fail("an exit report was lost");
    if (actors.executed != failed)
        return fail("actors after the failed one ran");
    if (error.kind() != RunError::Kind::Failure
        || !error.message().contains(QLatin1String("Cannot start a thread for actor")))
        return fail("the thread error is not the run's error");
    for (int i = failed + 1; i < n; ++i) {
        if (errors[size_t(i)].kind() != RunError::Kind::Canceled)
            return fail("an actor after the failed one did not exit canceled");
    }
    return 0;
}

// addWorkerThread() when no thread can be created: QThread::start() fails (it only prints a
// warning), yet the run finishes, with the thread error, and the objects stay here.
int worker(int n)
{
    std::vector<QPointer<QObject>> objects;
    QList<QObject *> list;
    for (int i = 0; i < n; ++i) {
        list.append(new QObject);
        objects.emplace_back(list.back());
    }
    rlimit previous{};
    if (!limitThreads(0, &previous))
        return kExitSkip;
    RunGroup group;
    int interrupts = 0;
    bool objectsHomeAtInterrupt = false;
    group.addWorkerThread(
        list,
        [&] {
            ++interrupts;
            objectsHomeAtInterrupt = true;
            for (const QPointer<QObject> &object : objects)
                objectsHomeAtInterrupt &= object && object->thread() == QThread::currentThread();
        },
        QStringLiteral("net"));
    group.addTimeout(std::chrono::hours(1));
    // Before the fix the run never finished: give up on our own.
    QTimer::singleShot(kRunTimeout, [] {
        std::fprintf(stderr, "scale-helper: the run did not finish\n");
        std::_Exit(kExitWrong);
    });
    const RunError error = group.run();
    setrlimit(RLIMIT_NPROC, &previous);
    std::printf("objects %d interrupts %d error %s\n", n, interrupts, qPrintable(error.toString()));
    if (error.kind() != RunError::Kind::Failure)
        return kExitSkip; // the limit was not enforced: the worker ran and timed out
    if (!error.message().startsWith(
            QLatin1String("RunGroup: Cannot start a thread for worker net: ")))
        return fail("the thread error is not the run's error");
    if (group.errors().value(1) != RunError())
        return fail("the deadline was not interrupted");
    if (interrupts != 1 || !objectsHomeAtInterrupt)
        return fail("the objects did not stay on the group's thread for the interrupt");
    for (const QPointer<QObject> &object : objects) {
        if (!object || object->thread() != QThread::currentThread())
            return fail("an object was lost");
        delete object.data();
    }
    return 0;
}

// Returns this process's address space in bytes (VmSize), or 0. Unused in sanitizer
// builds, which skip the test that reads it.
[[maybe_unused]] rlim_t addressSpace()
{
    const long kib = processStatusKiB("VmSize");
    return kib > 0 ? rlim_t(kib) * 1024 : 0;
}

// N actors with the largest stack setStackSize() takes, in an address space with room for
// none: the first actor's thread creation fails, the run ends with that error.
int stack(int n)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    Q_UNUSED(n);
    return kExitSkip; // the sanitizers' shadow memory needs an unlimited address space
#else
    RunGroup group;
    group.setStackSize(UINT_MAX / 4096 * 4096);
    if (group.stackSize() == 0)
        return fail("the largest stack size was refused");
    Actors actors;
    actors.addTo(group, n, false);
    const rlim_t used = addressSpace();
    rlimit previous{};
    getrlimit(RLIMIT_AS, &previous);
    rlimit limit = previous;
    limit.rlim_cur = used + rlim_t(256) * 1024 * 1024; // 256 MiB of room: not one stack
    if (used == 0 || setrlimit(RLIMIT_AS, &limit) != 0)
        return kExitSkip;
    QTimer::singleShot(kRunTimeout, [] {
        std::fprintf(stderr, "scale-helper: the run did not finish\n");
        std::_Exit(kExitWrong);
    });
    const RunError error = group.run();
    setrlimit(RLIMIT_AS, &previous);
    std::printf("actors %d started %d error %s\n", n, actors.executed.load(),
                qPrintable(error.toString()));
    if (error.kind() != RunError::Kind::Failure
        || !error.message().startsWith(
            QLatin1String("RunGroup: Cannot start a thread for actor 0: ")))
        return fail("the thread error is not the run's error");
    if (actors.executed != 0)
        return fail("an actor ran on a stack that does not fit");
    for (int i = 1; i < n; ++i) {
        if (group.errors().value(i).kind() != RunError::Kind::Canceled)
            return fail("an actor after the failed one did not exit canceled");
    }
    return 0;
#endif
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int n = args.size() > 2 ? args.at(2).toInt() : 0;
    if (n < 1)
        return fail("usage: rungroup-scale-helper many|nproc|worker|stack N");
    if (args.at(1) == QLatin1String("many"))
        return many(n);
    if (args.at(1) == QLatin1String("nproc"))
        return nproc(n);
    if (args.at(1) == QLatin1String("worker"))
        return worker(n);
    if (args.at(1) == QLatin1String("stack"))
        return stack(n);
    return fail("usage: rungroup-scale-helper many|nproc|worker|stack N");
}
