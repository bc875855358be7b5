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
//! more often the busier the machine. HandOver::post() queues the same call and tells
//! ThreadSanitizer about the order Qt provides. Outside a ThreadSanitizer build it is exactly
//! QMetaObject::invokeMethod(context, functor, Qt::QueuedConnection): the annotations compile
//! to nothing. `#include <RunGroup/HandOver>`; header-only.
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
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
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
// Wraps a functor so that each copy releases itself once built, and acquires itself before
// it is called or destroyed: the thread that posts builds the copy Qt keeps in its event,
// the receiving thread calls and destroys it (or, when the context is gone, destroys it).
template <typename F>
class Call
{
public:
    explicit Call(F f) : m_f(std::move(f)) { release(this); }
    Call(Call &&other) noexcept(std::is_nothrow_move_constructible_v<F>)
        : m_f((acquire(&other), std::move(other.m_f)))
    {
        release(this);
    }
    Call(const Call &other) : m_f((acquire(&other), other.m_f)) { release(this); }
    Call &operator=(const Call &) = delete;
    Call &operator=(Call &&) = delete;
    ~Call() { acquire(this); }

    void operator()()
    {
        acquire(this);
        m_f();
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
    return QMetaObject::invokeMethod(context, Detail::Call<F>(std::forward<Function>(function)),
                                     Qt::QueuedConnection);
}

} // namespace HandOver

#endif // RUNGROUP_HANDOVER_H
