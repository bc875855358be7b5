// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_ACTORTHREADS_H
#define RUNGROUP_ACTORTHREADS_H

#include <RunGroup/rungroup_export.h>

//! The process-wide reuse of actor threads, shared by every RunGroup.
//!
//! After an actor's execute returns, its thread parks, and the next threaded actor of any
//! group runs on it instead of on a new thread (creating an OS thread costs far more than
//! waking a parked one: bench/README.md). At most idleLimit() threads stay parked, each for
//! at most idleExpiry() ms. A thread an actor left in a state the next one must not inherit
//! (an event dispatcher, an interruption flag that cannot be cleared) ends instead.
//!
//! Every function is thread-safe. The RunGroup statics idleThreadLimit() and friends are
//! the same functions under their 1.0 names. `#include <RunGroup/ActorThreads>`.
class RUNGROUP_EXPORT ActorThreads
{
public:
    //! Returns how many threads may stay parked (default 1024).
    static int idleLimit();
    //! Sets idleLimit() to count (0 or more; negative: warning, no change). Surplus parked
    //! threads end at once, the least recently used first.
    static void setIdleLimit(int count);
    //! Returns how many milliseconds a parked thread waits for an actor before it ends
    //! (default 30000).
    static int idleExpiry();
    //! Sets idleExpiry() to ms (0 or more; negative: warning, no change). Applies to threads
    //! that park afterwards.
    static void setIdleExpiry(int ms);
    //! Returns the number of parked threads now.
    static int idleCount();

    ActorThreads() = delete;
};

#endif // RUNGROUP_ACTORTHREADS_H
