// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Limits a test cannot impose on its own process, imposed on a helper: 10,000 actors
// under a desktop's open-file limit of 1024, and thread creation failing part-way through
// start(). Only correctness is checked, never speed.

#include <QtCore/QScopeGuard>
#include <QtTest/QTest>

#include "childprocess.h"

namespace {
constexpr int kTimeout = 600000; // 10,000 threads on 2 shared cores, maybe sanitized
constexpr int kSkipped = 77;

struct HelperRun
{
    int exitCode = -1;
    QByteArray output;
};

HelperRun runHelper(const QString &mode, int actors)
{
    ChildProcess helper(QStringLiteral(RUNGROUP_SCALE_HELPER_PATH), {mode, QString::number(actors)},
                        kTimeout);
    HelperRun result;
    if (helper.waitForFinished() && helper.process().exitStatus() == QProcess::NormalExit)
        result.exitCode = helper.process().exitCode();
    result.output = helper.output();
    return result;
}
} // namespace

class tst_Scale : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void manyActorsUnderDesktopFileLimit();
    void threadCreationFails();
    void workerThreadCreationFails();
    void stackTooLargeForAddressSpace();
};

void tst_Scale::manyActorsUnderDesktopFileLimit()
{
    // A thread per actor with an eventfd each would stop at ~1000 actors here.
    const HelperRun run = runHelper(QStringLiteral("many"), RUNGROUP_SCALE_ACTORS);
    qInfo("%s", run.output.constData());
    if (run.exitCode == kSkipped)
        QSKIP("Cannot lower the open-file limit");
    QCOMPARE(run.exitCode, 0);
}

void tst_Scale::threadCreationFails()
{
    // start() ends the run with the thread error; what did start is interrupted and
    // reported, what did not exits canceled; finished() once; no hang, no crash.
    // LeakSanitizer's exit-time check needs a new thread and ptrace, which a process at its
    // thread limit (and no longer dumpable after setuid) cannot get: it would fail the
    // helper for nothing. Leaks on these paths are checked by the other tests.
    const QByteArray asanOptions = qgetenv("ASAN_OPTIONS");
    qputenv("ASAN_OPTIONS", asanOptions + (asanOptions.isEmpty() ? "" : ":") + "detect_leaks=0");
    const auto restore = qScopeGuard([asanOptions] { qputenv("ASAN_OPTIONS", asanOptions); });
    const HelperRun run = runHelper(QStringLiteral("nproc"), 50);
    qInfo("%s", run.output.constData());
    if (run.exitCode == kSkipped)
        QSKIP("Cannot limit this process's threads (RLIMIT_NPROC not enforced)");
    QCOMPARE(run.exitCode, 0);
}

void tst_Scale::workerThreadCreationFails()
{
    // addWorkerThread() under RLIMIT_NPROC: QThread::start() fails with only a warning, and
    // the run used to never finish, not even after its deadline. Now the worker exits with
    // the thread error, the run finishes, and the objects never left the group's thread.
    const QByteArray asanOptions = qgetenv("ASAN_OPTIONS"); // see threadCreationFails()
    qputenv("ASAN_OPTIONS", asanOptions + (asanOptions.isEmpty() ? "" : ":") + "detect_leaks=0");
    const auto restore = qScopeGuard([asanOptions] { qputenv("ASAN_OPTIONS", asanOptions); });
    const HelperRun run = runHelper(QStringLiteral("worker"), 3);
    qInfo("%s", run.output.constData());
    if (run.exitCode == kSkipped)
        QSKIP("Cannot limit this process's threads (RLIMIT_NPROC not enforced)");
    QCOMPARE(run.exitCode, 0);
}

void tst_Scale::stackTooLargeForAddressSpace()
{
    // setStackSize() at its largest, in an address space with no room for such a stack:
    // thread creation fails, and the run ends with that error instead of hanging.
    const HelperRun run = runHelper(QStringLiteral("stack"), 3);
    qInfo("%s", run.output.constData());
    if (run.exitCode == kSkipped)
        QSKIP("Cannot limit the address space (sanitized build)");
    QCOMPARE(run.exitCode, 0);
}

QTEST_GUILESS_MAIN(tst_Scale)
#include "tst_scale.moc"
