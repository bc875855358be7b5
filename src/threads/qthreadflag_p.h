// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_QTHREADFLAG_P_H
#define RUNGROUP_QTHREADFLAG_P_H

// Clears the calling thread's QThread interruption flag after its job ended. Returns
// false when this build cannot (no Qt private headers): the thread is then not reused.
// The only code that depends on the exact Qt version built against (qthreadflag.cpp).
bool clearCurrentThreadInterruption();

#endif // RUNGROUP_QTHREADFLAG_P_H
