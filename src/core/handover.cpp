// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "handover_p.h"

// Recursive: Qt may drop a queued call inside the post that holds the lock (the receiver
// is gone), destroying its functor, which takes the lock too. Taken only in
// ThreadSanitizer builds (handover_p.h); never while user code runs.
std::recursive_mutex &RunGroupDetail::handOverLock()
{
    static std::recursive_mutex lock;
    return lock;
}
