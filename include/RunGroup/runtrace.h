// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_RUNTRACE_H
#define RUNGROUP_RUNTRACE_H

#include <RunGroup/rungroup_export.h>

#include <QtCore/QString>

//! The trace file every run of every RunGroup in the process is written to.
//!
//! The format is Chrome's trace-event JSON (chrome://tracing, ui.perfetto.dev): one process
//! per group, one lane per actor, with its running, interrupting and exited phases. Events
//! are written one by one as the runs go, unbuffered, so that a process that is killed
//! leaves its trace behind (the JSON array is then left unterminated, which both viewers
//! and scripts/render-trace.py read). The environment variable RUNGROUP_TRACE names a file
//! to trace to from the start. docs/integration.md, "Observability", shows a trace.
//!
//! Every function is thread-safe. RunGroup::traceFile() and RunGroup::setTraceFile() are
//! the same functions under their 1.0 names. `#include <RunGroup/RunTrace>`.
class RUNGROUP_EXPORT RunTrace
{
public:
    //! Returns the trace file; empty (the default, unless RUNGROUP_TRACE is set) is off.
    static QString file();
    //! Sets file() to fileName; an empty one turns tracing off. Takes effect for runs that
    //! start afterwards.
    static void setFile(const QString &fileName);

    RunTrace() = delete;
};

#endif // RUNGROUP_RUNTRACE_H
