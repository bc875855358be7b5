// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "qthreadflag_p.h"

#include <QtCore/QThread>

// Qt clears a QThread's interruption flag only when the thread finishes or is started
// again, and a thread Qt adopted does neither while it lives. So a reused actor thread
// needs QThreadPrivate, which ties this file, and only this file, to the exact Qt
// version it was built with. Without the private headers, flagged threads are retired.
#ifdef RUNGROUP_HAVE_QT_PRIVATE
#include <QtCore/private/qthread_p.h>

// UBSan's vptr check would make the downcast below reference QThreadPrivate's typeinfo,
// which libQt6Core does not export: the sanitized library would not link.
#if defined(__GNUC__) || defined(__clang__)
__attribute__((no_sanitize("vptr")))
#endif
bool clearCurrentThreadInterruption()
{
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
