// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// A thread running an event loop for tests that need contexts, objects or a group living
// on another thread, with hand-overs that ThreadSanitizer can see.

#pragma once

#include <RunGroup/HandOver>

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QThread>

#include <memory>
#include <utility>

#include "testsync.h"

// A QThread running an event loop, with objects living on it.
class WorkerThread
{
public:
    explicit WorkerThread(const QString &name)
    {
        m_thread.setObjectName(name);
        m_thread.start();
        m_helper = create<QObject>();
        // The thread creates its event dispatcher (and that dispatcher's eventfd) once it
        // runs: wait for that, so a test taking a baseline of the process's fds after
        // construction counts it (on a loaded machine it used to appear later).
        flush();
    }
    ~WorkerThread()
    {
        m_thread.quit();
        m_thread.wait();
        for (const QPointer<QObject> &object : std::as_const(m_owned))
            delete object.data();
    }
    QThread *thread() { return &m_thread; }
    // Creates a T living on this thread, deleted after the thread has stopped.
    template <typename T>
    T *create()
    {
        auto *object = new T;
        object->moveToThread(&m_thread);
        m_owned.append(object);
        return object;
    }
    // Both hand f over through Qt's event queue with HandOver::post(), the library's
    // hand-over primitive, so that ThreadSanitizer sees the order Qt's (uninstrumented)
    // locking gives; for runBlocking, the Gate's mutex is the way back.
    template <typename F>
    void runBlocking(F f)
    {
        auto done = std::make_shared<Gate>();
        post([f = std::move(f), done]() mutable {
            f();
            done->open();
        });
        done->wait(Gate::kForever);
    }
    template <typename F>
    void post(F f)
    {
        HandOver::post(m_helper, std::move(f));
    }
    // Returns once every event posted to this thread before the call was handled.
    void flush()
    {
        runBlocking([] {});
    }

private:
    QThread m_thread;
    QObject *m_helper = nullptr;
    QList<QPointer<QObject>> m_owned;
};
