// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_LOGGING_P_H
#define RUNGROUP_LOGGING_P_H

#include <QtCore/QLoggingCategory>

// The library's logging categories, one per area, so that a user can silence or enable
// each (QT_LOGGING_RULES="rungroup.signals.warning=false"). Debug output is off unless
// enabled. docs/rungroup.md has the table; every warning goes through one of these.
Q_DECLARE_LOGGING_CATEGORY(lcCore)        // rungroup.core: adding, running, stopping
Q_DECLARE_LOGGING_CATEGORY(lcThreads)     // rungroup.threads: actor threads, stacks, pool
Q_DECLARE_LOGGING_CATEGORY(lcSignals)     // rungroup.signals: signal-handler actors
Q_DECLARE_LOGGING_CATEGORY(lcActors)      // rungroup.actors: ready-made actors
Q_DECLARE_LOGGING_CATEGORY(lcApplication) // rungroup.application: binding, exit codes
Q_DECLARE_LOGGING_CATEGORY(lcNotifier)    // rungroup.notifier: ServiceNotifier
Q_DECLARE_LOGGING_CATEGORY(lcRun)         // rungroup.run: each run, actor by actor (debug)
Q_DECLARE_LOGGING_CATEGORY(lcTrace)       // rungroup.trace: the trace file

// rungroup.run's debug output, or that of "rungroup" (its 1.0 name, still honoured) when
// only that one is enabled; null when neither is.
const QLoggingCategory *runLogCategory();

#endif // RUNGROUP_LOGGING_P_H
