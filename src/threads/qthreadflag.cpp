// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "qthreadflag_p.h"

#include "logging_p.h"
#include "testseams_p.h"

#include <QtCore/QThread>

#include <atomic>

// Qt clears a QThread's interruption flag only when the thread finishes or is started
// again, and a thread Qt adopted does neither while it lives. So a reused actor thread
// needs QThreadPrivate, which ties this file, and only this file, to the exact Qt
// version it was built with: Qt keeps no binary compatibility in its private classes,
// not even between patch releases. The flag is cleared only when the Qt loaded at run
// time is the one the library was compiled against; otherwise, and without the private
// headers, flagged threads are retired.
namespace {
// A version a test pretends runs instead of qVersion() (RunGroupTesting::setQtRuntimeVersion);
// null: the real one. Atomic: set by a test's thread, read by pool threads.
std::atomic<const char *> g_runtimeVersion{nullptr};
// Atomic: the first pool thread to find a mismatch logs it, once per process.
std::atomic<bool> g_mismatchLogged{false};
} // namespace

bool qtPrivateLayoutMatches()
{
    const char *runtime = g_runtimeVersion.load(std::memory_order_acquire);
    if (!runtime)
        runtime = qVersion();
    if (qstrcmp(runtime, QT_VERSION_STR) == 0)
        return true;
    if (!g_mismatchLogged.exchange(true, std::memory_order_relaxed)) {
        qCDebug(lcThreads,
                "Qt %s at run time, built against Qt %s: interrupted actor threads are "
                "retired, not reused",
                runtime, QT_VERSION_STR);
    }
    return false;
}

void RunGroupTesting::setQtRuntimeVersion(const char *version)
{
    g_runtimeVersion.store(version, std::memory_order_release);
}

#ifdef RUNGROUP_HAVE_QT_PRIVATE
#include <QtCore/private/qthread_p.h>

// UBSan's vptr check would make the downcast below reference QThreadPrivate's typeinfo,
// which libQt6Core does not export: the sanitized library would not link.
#if defined(__GNUC__) || defined(__clang__)
__attribute__((no_sanitize("vptr")))
#endif
bool clearCurrentThreadInterruption()
{
    // Another Qt's QThreadPrivate may hold something else where this one's flag is.
    if (!qtPrivateLayoutMatches())
        return false;
    auto *d = static_cast<QThreadPrivate *>(QObjectPrivate::get(QThread::currentThread()));
    d->interruptionRequested.store(false, std::memory_order_relaxed);
    return !QThread::currentThread()->isInterruptionRequested();
}
#else
bool clearCurrentThreadInterruption()
{
    return false;
}
#endif
