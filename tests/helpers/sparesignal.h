// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// A signal number a test's signal-handler actor may watch when nothing is meant to send
// it: SIGUSR1 on POSIX; on Windows, where only SIGINT, SIGBREAK and SIGTERM can be watched
// (console control events), SIGBREAK, which nothing sends while the tests run.

#pragma once

#include <QtCore/QtGlobal>

#include <csignal>

#ifdef Q_OS_WIN
constexpr int kSpareSignal = SIGBREAK;
#else
constexpr int kSpareSignal = SIGUSR1;
#endif
