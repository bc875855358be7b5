// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Not API: the bodies of RunGroup's templates (include <RunGroup/RunGroup>, never this
// header). Each checks its arguments at compile time and calls an exported function.

#ifndef RUNGROUP_RUNGROUP_IMPL_H
#define RUNGROUP_RUNGROUP_IMPL_H

#include <RunGroup/rungroup.h>

//! \cond internal
template <typename Execute, typename Interrupt, typename>
int RunGroup::add(Execute &&execute, Interrupt &&interrupt, QObject *context, const QString &name)
{
    return addImpl(RunGroupDetail::wrapExecute(std::forward<Execute>(execute)),
                   RunGroupDetail::wrapInterrupt(std::forward<Interrupt>(interrupt)), context,
                   name);
}

template <typename Object, typename Signal, typename Interrupt>
int RunGroup::addObject(Object *object, Signal exitSignal, Interrupt &&interrupt,
                        const QString &name)
{
    static_assert(std::is_member_function_pointer_v<Signal>,
                  "RunGroup::addObject: exitSignal must be a pointer to a signal");
    using SignalClass = typename RunGroupDetail::MemberFunction<Signal>::Class;
    static_assert(std::is_base_of_v<QObject, SignalClass>,
                  "RunGroup::addObject: exitSignal must be a signal of a QObject class");
    static_assert(std::is_base_of_v<SignalClass, Object> || std::is_same_v<Object, QObject>,
                  "RunGroup::addObject: exitSignal must belong to the object's class");
    return addObjectImpl(
        object, QMetaMethod::fromSignal(exitSignal), RunGroupDetail::makeConnector(exitSignal),
        RunGroupDetail::wrapObjectInterrupt(object, std::forward<Interrupt>(interrupt)), name);
}

template <typename T>
int RunGroup::add(const QFuture<T> &future, const QString &name)
{
    return addFutureImpl(QFuture<void>(future), name);
}

template <typename Interrupt>
int RunGroup::addWorkerThread(const QList<QObject *> &objects, Interrupt &&interrupt,
                              const QString &name, WorkerObjects after)
{
    return addWorkerThreadImpl(
        objects, RunGroupDetail::wrapInterrupt(std::forward<Interrupt>(interrupt)), name, after);
}

template <typename Handler>
void RunGroup::setReloadHandler(int index, Handler &&handler)
{
    setReloadHandlerImpl(index, RunGroupDetail::wrapInterrupt(std::forward<Handler>(handler)));
}

//! \endcond

#endif // RUNGROUP_RUNGROUP_IMPL_H
