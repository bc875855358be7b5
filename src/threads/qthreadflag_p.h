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
// false when it cannot: a build without Qt's private headers, or a Qt at run time other
// than the one the library was compiled against (see qtPrivateLayoutMatches()). The
// thread is then not reused. The only code that depends on the exact Qt version built
// against (qthreadflag.cpp).
bool clearCurrentThreadInterruption();

// Returns true if qVersion() is QT_VERSION_STR, the Qt version whose private headers the
// library was compiled with; otherwise returns false, and logs that once per process
// (category rungroup.threads, debug). Thread-safe.
bool qtPrivateLayoutMatches();

#endif // RUNGROUP_QTHREADFLAG_P_H
