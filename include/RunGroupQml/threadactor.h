// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUPQML_THREADACTOR_H
#define RUNGROUPQML_THREADACTOR_H

#include <RunGroupQml/rungroupactor.h>

#include <memory>

class ThreadActorPrivate;

//! ThreadActor is the base of actors written in C++ and declared in QML.
//!
//! Subclass it, override execute() (and interrupt() if execute() waits on something other
//! than the interruption flag), register the subclass with QML_ELEMENT in your own QML
//! module and declare it inside a RunGroup with its own properties:
//!
//! \code
//! class Counter : public ThreadActor
//! {
//!     Q_OBJECT
//!     QML_ELEMENT
//!     Q_PROPERTY(int interval ...)
//! protected:
//!     RunError execute() override;              // on the actor's thread
//!     void interrupt(const RunError &) override; // on the GUI thread
//! };
//! \endcode
//!
//! \code{.qml}
//! RunGroup { Counter { name: "counter"; interval: 100 } }
//! \endcode
//!
//! The object lives on the GUI thread; execute() runs on a thread of its own, so anything
//! it shares with the GUI thread (properties included) needs synchronisation. Report back
//! to the GUI thread with queued calls (QMetaObject::invokeMethod(this, …)) or signals.
//! An actor declared with `requiresReady: true` calls markReady() from execute() once it is
//! ready (thread-safe; the mark belongs to that run).
//! A ThreadActor must outlive its group's run: declare it inside the RunGroup, which
//! stops and joins its actors before its children are destroyed.
//! `#include <RunGroupQml/ThreadActor>`. See docs/qml.md.
class RUNGROUPQML_EXPORT ThreadActor : public RunGroupActor
{
    Q_OBJECT
    QML_ANONYMOUS

public:
    //! Constructs an actor with the given parent, on the GUI thread (the QML engine does,
    //! for a subclass declared in QML).
    explicit ThreadActor(QObject *parent = nullptr);
    //! Destroying a ThreadActor whose execute() is still running prints a warning, requests
    //! interruption and waits for execute() to return (a subclass's members are already
    //! gone by then: destroy the group instead). Destroy it on the GUI thread.
    ~ThreadActor() override;

Q_SIGNALS:
    //! This signal is emitted on the GUI thread after interrupt() returned.
    void interrupted(const RunError &error);

protected:
    //! Called on the GUI thread just before each run of the group starts, before execute(),
    //! and again before each restart (after the restarting() handlers, before the backoff
    //! wait): copy here what execute() needs from properties, so it reads no property that
    //! QML may change meanwhile. The default does nothing.
    virtual void aboutToRun();
    //! The actor's work, run on a thread of its own from the group's start. Return (or
    //! throw) to exit: a returned error, or Kind::Exception for an exception, ends the run.
    //! If the thread cannot be created, it is not called: the actor exits with Kind::Failure
    //! (`"RunGroup: Cannot start a thread for actor <index>: <reason>"`), as an add() actor.
    virtual RunError execute() = 0;
    //! The actor's interrupt, called on the GUI thread once per run with the run's first
    //! error, possibly before execute() started or after it returned. The default does
    //! nothing: the actor thread's interruption flag is set anyway.
    virtual void interrupt(const RunError &error);
    //! Returns true if this run's interrupt was requested; otherwise returns false.
    //! Thread-safe: meant to be polled from execute().
    bool isInterruptionRequested() const;

private:
    int addTo(RunGroup *group) override;
    void aboutToStart() override;

    Q_DISABLE_COPY_MOVE(ThreadActor)
    // Shared with the execute() wrapper running on the actor's thread.
    std::shared_ptr<ThreadActorPrivate> td_ptr;
};

#endif // RUNGROUPQML_THREADACTOR_H
