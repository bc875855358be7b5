// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_HANDOVER_P_H
#define RUNGROUP_HANDOVER_P_H

// The library's one hand-over primitive: what it hands from one thread to another through
// Qt's event queue (events, queued functors, slot functors of connections whose sender
// lives elsewhere) is shown to ThreadSanitizer as ordered, as Qt's own (uninstrumented)
// futex locks order it. The public <RunGroup/HandOver> is the same primitive for users'
// code and for the tests; this header adds what only the library needs.
//
// In a ThreadSanitizer build of the library, a post happens under the process-wide
// hand-over lock (RunGroupDetail::handOverLock()), and the receiving side takes that lock
// before it reads, calls or destroys what was handed over. In any other build every name
// below compiles to nothing: production builds take no lock and make no call for it.
#include <RunGroup/handover.h>
#include <RunGroup/rungroup_export.h>

#include <mutex>
#include <type_traits>
#include <utility>

namespace RunGroupDetail {
// Defined in every build (src/core/handover.cpp), so that a user's ThreadSanitizer build
// links against any build of the library.
RUNGROUP_EXPORT std::recursive_mutex &handOverLock();
} // namespace RunGroupDetail

namespace HandOverPrivate {

// Held across a post (postEvent, a queued invokeMethod, a queued signal emission).
class PostScope
{
public:
    PostScope() = default;
    ~PostScope() { } // user-provided: an unused-variable warning would not understand
    Q_DISABLE_COPY_MOVE(PostScope)

private:
#ifdef RUNGROUP_HANDOVER_TSAN
    std::lock_guard<std::recursive_mutex> m_lock{RunGroupDetail::handOverLock()};
#endif
};

// The receiving side: what the poster wrote inside its PostScope is ordered before what
// follows.
inline void received()
{
    HandOver::Detail::synchronize();
}

// A slot functor that another thread may call or destroy (a connection to an object that
// lives, and may die, on another thread): received() before either.
template <typename F>
HandOver::Detail::Call<std::decay_t<F>> slot(F &&f)
{
    return HandOver::Detail::Call<std::decay_t<F>>(std::forward<F>(f));
}

} // namespace HandOverPrivate

#endif // RUNGROUP_HANDOVER_P_H
