// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "logging_p.h"

// Warnings and above are on by default, debug output is off (QtInfoMsg: info and up).
Q_LOGGING_CATEGORY(lcCore, "rungroup.core", QtInfoMsg)
Q_LOGGING_CATEGORY(lcThreads, "rungroup.threads", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSignals, "rungroup.signals", QtInfoMsg)
Q_LOGGING_CATEGORY(lcActors, "rungroup.actors", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApplication, "rungroup.application", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNotifier, "rungroup.notifier", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRun, "rungroup.run", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTrace, "rungroup.trace", QtInfoMsg)

namespace {
Q_LOGGING_CATEGORY(lcRun10, "rungroup", QtInfoMsg)
} // namespace

const QLoggingCategory *runLogCategory()
{
    if (lcRun().isDebugEnabled())
        return &lcRun();
    if (lcRun10().isDebugEnabled())
        return &lcRun10();
    return nullptr;
}
