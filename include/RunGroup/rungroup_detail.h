// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Not API: the template plumbing behind RunGroup::add(), addObject() and addWorkerThread()
// (include <RunGroup/RunGroup>, never this header). It turns any callable into the
// std::function types the library's exported functions take, and checks the callables'
// signatures at compile time with readable messages. Names here may change in any release.

#ifndef RUNGROUP_RUNGROUP_DETAIL_H
#define RUNGROUP_RUNGROUP_DETAIL_H

#include <RunGroup/runerror.h>
#include <RunGroup/rungroup_export.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>

#include <functional>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

//! \cond internal
// Template helpers behind RunGroup::add and RunGroup::addObject. Not API.
namespace RunGroupDetail {
using Execute = std::function<RunError()>;
using Interrupt = std::function<void(const RunError &)>;

// Reports an addObject() actor's exit to its group. start() builds it into a connection
// whose slot functor Qt may destroy on the object's thread (when the object dies there, or
// when a disconnect lands while that thread emits). Exported, with its destructor in the
// library, so that the library's hand-over primitive (src/core/handover_p.h) covers it.
class RUNGROUP_EXPORT ExitHandler
{
public:
    ExitHandler() = default;
    explicit ExitHandler(std::function<void(const RunError &)> report);
    ExitHandler(const ExitHandler &) = default;
    ExitHandler(ExitHandler &&) noexcept = default;
    ExitHandler &operator=(const ExitHandler &) = default;
    ExitHandler &operator=(ExitHandler &&) noexcept = default;
    ~ExitHandler();
    void operator()(const RunError &error) const;

private:
    std::function<void(const RunError &)> m_report;
};
using Connector =
    std::function<QMetaObject::Connection(QObject *object, QObject *receiver, ExitHandler)>;

template <typename>
inline constexpr bool dependentFalse = false;

// add(QFuture<T>) is its own overload, not an execute callable.
template <typename>
inline constexpr bool isFuture = false;
template <typename T>
inline constexpr bool isFuture<QFuture<T>> = true;

// Whether F has an operator bool of its own (std::function and the like): a lambda
// without captures converts to bool only through its function pointer, which is never
// null (g++ 14 warns, -Waddress, when that conversion is tested).
template <typename F, typename = void>
inline constexpr bool hasBoolOperator = false;
template <typename F>
inline constexpr bool hasBoolOperator<F, std::void_t<decltype(&F::operator bool)>> = true;

template <typename F>
bool isNull(const F &f)
{
    if constexpr (std::is_same_v<F, std::nullptr_t>)
        return true;
    else if constexpr (std::is_function_v<F>)
        return false; // a function, never null (and no -Waddress for testing it)
    else if constexpr (std::is_pointer_v<F> || std::is_member_pointer_v<F>)
        return f == nullptr;
    else if constexpr (hasBoolOperator<F>)
        return !static_cast<bool>(f);
    else
        return false;
}

template <typename T>
struct MemberFunction;
template <typename R, typename C, typename... A>
struct MemberFunction<R (C::*)(A...)>
{
    using Class = C;
    using Args = std::tuple<A...>;
};
template <typename R, typename C, typename... A>
struct MemberFunction<R (C::*)(A...) const> : MemberFunction<R (C::*)(A...)>
{
};

template <typename F>
Execute wrapExecute(F &&f)
{
    using Fn = std::decay_t<F>;
    if constexpr (std::is_same_v<Fn, std::nullptr_t>) {
        return {};
    } else {
        static_assert(std::is_invocable_v<Fn &>,
                      "RunGroup::add: execute must be callable with no arguments");
        using R = std::invoke_result_t<Fn &>;
        static_assert(std::is_void_v<R> || std::is_convertible_v<R, RunError>,
                      "RunGroup::add: execute must return void or RunError");
        if (isNull(f))
            return {};
        // shared_ptr keeps move-only callables usable inside std::function.
        auto fn = std::make_shared<Fn>(std::forward<F>(f));
        if constexpr (std::is_void_v<R>)
            return [fn]() -> RunError {
                std::invoke(*fn);
                return RunError();
            };
        else
            return [fn]() -> RunError { return std::invoke(*fn); };
    }
}

template <typename F>
Interrupt wrapInterrupt(F &&f)
{
    using Fn = std::decay_t<F>;
    if constexpr (std::is_same_v<Fn, std::nullptr_t>) {
        return {};
    } else {
        if (isNull(f))
            return {};
        auto fn = std::make_shared<Fn>(std::forward<F>(f));
        if constexpr (std::is_invocable_v<Fn &, const RunError &>)
            return [fn](const RunError &error) { std::invoke(*fn, error); };
        else if constexpr (std::is_invocable_v<Fn &>)
            return [fn](const RunError &) { std::invoke(*fn); };
        else
            static_assert(dependentFalse<Fn>,
                          "RunGroup: interrupt must be callable with (const RunError &) or ()");
    }
}

// An addObject interrupt may also be a member function of the object's class.
template <typename Object, typename F>
Interrupt wrapObjectInterrupt(Object *object, F &&f)
{
    using Fn = std::decay_t<F>;
    if constexpr (std::is_member_function_pointer_v<Fn>) {
        if (!f)
            return {};
        using C = typename MemberFunction<Fn>::Class;
        static_assert(std::is_base_of_v<C, Object> || std::is_same_v<Object, QObject>,
                      "RunGroup::addObject: interrupt must be a member of the object's class");
        // The group delivers the interrupt with the object as context, so the object
        // is alive whenever this runs.
        return [object, f](const RunError &error) {
            if constexpr (std::is_invocable_v<Fn, C *, const RunError &>)
                std::invoke(f, static_cast<C *>(object), error);
            else
                std::invoke(f, static_cast<C *>(object));
        };
    } else {
        return wrapInterrupt(std::forward<F>(f));
    }
}

// Maps an exit signal's first argument to the actor's error.
template <typename Signal>
Connector makeConnector(Signal exitSignal)
{
    using Traits = MemberFunction<Signal>;
    using Object = typename Traits::Class;
    using Args = typename Traits::Args;
    return [exitSignal](QObject *object, QObject *receiver, ExitHandler onExit) {
        auto *typed = static_cast<Object *>(object);
        if constexpr (std::tuple_size_v<Args> != 0) {
            using First = std::decay_t<std::tuple_element_t<0, Args>>;
            if constexpr (std::is_same_v<First, RunError>)
                return QObject::connect(typed, exitSignal, receiver,
                                        [onExit](const RunError &error) { onExit(error); });
            else if constexpr (std::is_same_v<First, QString>)
                return QObject::connect(
                    typed, exitSignal, receiver, [onExit](const QString &message) {
                        onExit(message.isEmpty() ? RunError() : RunError::failure(message));
                    });
            else
                return QObject::connect(typed, exitSignal, receiver,
                                        [onExit]() { onExit(RunError()); });
        } else {
            return QObject::connect(typed, exitSignal, receiver,
                                    [onExit]() { onExit(RunError()); });
        }
    };
}
} // namespace RunGroupDetail
//! \endcond

#endif // RUNGROUP_RUNGROUP_DETAIL_H
