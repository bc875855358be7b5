// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_HANDOVER_H
#define RUNGROUP_HANDOVER_H

#include <QtCore/QMetaObject>
#include <QtCore/QObject>

#include <type_traits>
#include <utility>

//! Handing work from one thread to another through Qt's event queue, visibly to
//! ThreadSanitizer.
//!
//! QMetaObject::invokeMethod(context, functor, Qt::QueuedConnection) from a worker thread is
//! correct: Qt's event queue orders the functor's construction on the worker before its call
//! (and destruction) on context's thread. But a distribution's Qt is not built with
//! ThreadSanitizer, and the futex-based lock that gives that order is invisible to it, so a
//! program built with -fsanitize=thread reports a data race on the functor's captures, the
//! more often the busier the machine. HandOver::post() queues the same call and shows
//! ThreadSanitizer the order Qt provides: in a ThreadSanitizer build the post (the functor
//! and the event Qt allocates for it) happens under a lock of the library's that the
//! receiving thread takes before it calls or destroys the functor, and that RunGroup takes
//! before it looks at any event. Outside a ThreadSanitizer build it is exactly
//! QMetaObject::invokeMethod(context, functor, Qt::QueuedConnection): no lock, no
//! annotation. `#include <RunGroup/HandOver>`.
//!
//! \code
//! // on a worker thread
//! HandOver::post(window, [window, step] { window->setProgress(step); });
//! \endcode
namespace HandOver {

//! Marks the end of what this thread wrote for another: a later acquire(key) on any thread
//! sees it. Compiles to nothing unless the translation unit is built with ThreadSanitizer.
//! May be called from any thread.
inline void release(const void *key) noexcept;
//! Marks the start of what this thread reads that another wrote before release(key).
//! Compiles to nothing unless the translation unit is built with ThreadSanitizer. May be
//! called from any thread.
inline void acquire(const void *key) noexcept;

//! Queues function (callable with no arguments) to be called on context's thread, after the
//! events already queued there. If context is destroyed before then, the call is dropped and
//! the function destroyed on whichever thread destroys the queued event. May be called from
//! any thread. Returns false, as QMetaObject::invokeMethod() does, when the call could not be
//! queued (context is null).
template <typename Function>
bool post(QObject *context, Function &&function);

} // namespace HandOver

// ---------------------------------------------------------------------------------------
// Implementation

#if defined(__SANITIZE_THREAD__)
#define RUNGROUP_HANDOVER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RUNGROUP_HANDOVER_TSAN 1
#endif
#endif

#ifdef RUNGROUP_HANDOVER_TSAN
#include <RunGroup/rungroup_export.h>

#include <mutex>

extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);

//! \cond internal
namespace RunGroupDetail {
// The lock the library holds, in its ThreadSanitizer builds, across every hand-over through
// Qt's queue, and takes before it reads what another thread handed over
// (src/core/handover_p.h). Recursive: Qt may drop a queued call, destroying its functor
// (which takes the lock), inside the post holding it.
RUNGROUP_EXPORT std::recursive_mutex &handOverLock();
} // namespace RunGroupDetail
//! \endcond
#endif

namespace HandOver {

inline void release(const void *key) noexcept
{
#ifdef RUNGROUP_HANDOVER_TSAN
    __tsan_release(const_cast<void *>(key));
#else
    (void)key;
#endif
}

inline void acquire(const void *key) noexcept
{
#ifdef RUNGROUP_HANDOVER_TSAN
    __tsan_acquire(const_cast<void *>(key));
#else
    (void)key;
#endif
}

namespace Detail {
#ifdef RUNGROUP_HANDOVER_TSAN
// The receiving side: whatever the poster wrote while holding the lock (the functor, the
// event Qt allocated, its arguments) is ordered before what follows.
inline void synchronize()
{
    std::lock_guard<std::recursive_mutex> lock(RunGroupDetail::handOverLock());
}
#else
inline void synchronize() { }
#endif

// Wraps a functor so that the receiving thread synchronises with the poster before it calls
// or destroys it (Qt destroys it there, or wherever the event is dropped).
template <typename F>
class Call
{
public:
    explicit Call(F f) : m_f(std::move(f)) { }
    Call(Call &&other) noexcept(std::is_nothrow_move_constructible_v<F>) = default;
    Call(const Call &other) = default;
    Call &operator=(const Call &) = delete;
    Call &operator=(Call &&) = delete;
    ~Call() { synchronize(); }

    // The return type keeps it SFINAE-friendly: Qt's connect() probes the argument count.
    template <typename... Args>
    auto operator()(Args &&...args) -> decltype(std::declval<F &>()(std::forward<Args>(args)...))
    {
        synchronize();
        return m_f(std::forward<Args>(args)...);
    }

private:
    F m_f;
};
} // namespace Detail

template <typename Function>
bool post(QObject *context, Function &&function)
{
    using F = std::decay_t<Function>;
    static_assert(std::is_invocable_v<F &>, "HandOver::post: the function must take no arguments");
    if (!context)
        return false;
#ifdef RUNGROUP_HANDOVER_TSAN
    std::lock_guard<std::recursive_mutex> lock(RunGroupDetail::handOverLock());
#endif
    return QMetaObject::invokeMethod(context, Detail::Call<F>(std::forward<Function>(function)),
                                     Qt::QueuedConnection);
}

} // namespace HandOver

#endif // RUNGROUP_HANDOVER_H
