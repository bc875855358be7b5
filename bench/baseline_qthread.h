// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_BENCH_BASELINE_QTHREAD_H
#define RUNGROUP_BENCH_BASELINE_QTHREAD_H

#include "baseline_common.h"

#include <QtCore/QThread>

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace Bench {

// Baseline (b): what a Qt user writes by hand. QThread::create() per actor,
// requestInterruption() beside the actor's own interrupt, QThread::wait() and delete.
class QThreads
{
public:
    void setStackSize(std::size_t bytes) { m_stackSize = uint(bytes); }

    template <typename F>
    void start(F &&body)
    {
        QThread *thread = QThread::create(std::forward<F>(body));
        m_threads.emplace_back(thread);
        if (m_stackSize != 0)
            thread->setStackSize(m_stackSize);
        thread->start();
    }

    void interrupt(std::size_t index) { m_threads[index]->requestInterruption(); }

    void joinAll()
    {
        for (const std::unique_ptr<QThread> &thread : m_threads)
            thread->wait();
        m_threads.clear(); // deletes them
    }

private:
    uint m_stackSize = 0;
    std::vector<std::unique_ptr<QThread>> m_threads;
};

template <typename Error>
using QThreadGroup = BaselineGroup<Error, QThreads>;

} // namespace Bench

#endif // RUNGROUP_BENCH_BASELINE_QTHREAD_H
