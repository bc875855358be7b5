// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUPQML_RUNGROUPACTOR_H
#define RUNGROUPQML_RUNGROUPACTOR_H

#include <RunGroup/runerror.h>
#include <RunGroupQml/rungroupqml_export.h>

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtQml/qqml.h>
#include <QtQml/qqmllist.h>
#include <QtQml/qqmlparserstatus.h>

#include <memory>

class RunGroup;
class RunGroupActorPrivate;

//! RunGroupActor is the base of every actor declared in QML: Actor, SignalActor and the
//! C++ ThreadActor subclasses.
//!
//! It lives on the GUI thread (the thread of its RunGroup) and joins the RunGroup it is
//! declared in, in declaration order. Its properties describe the actor's part in the
//! group; they change on the GUI thread only, and are read there. It cannot be created
//! from QML by itself (QML_ANONYMOUS); in C++, subclass ThreadActor.
//! `#include <RunGroupQml/RunGroupActor>`; CMake: `find_package(RunGroup CONFIG REQUIRED
//! COMPONENTS Qml)` and `target_link_libraries(app PRIVATE RunGroup::Qml)`. See
//! docs/qml.md.
class RUNGROUPQML_EXPORT RunGroupActor : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    //! The actor's name: actorName() in the group, the thread name of a ThreadActor. Read
    //! when the actor joins its group (when the group's component is complete).
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    //! The QML RunGroup the actor belongs to, or null.
    Q_PROPERTY(QObject *group READ group NOTIFY groupChanged)
    //! The actor's index in its group (0, 1, 2, … in declaration order), or -1.
    Q_PROPERTY(int index READ index NOTIFY indexChanged)
    //! True from the group's start until this actor exits.
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
    //! The error this actor exited with in the current or last run (no error until then).
    Q_PROPERTY(RunError error READ error NOTIFY errorChanged)
    //! The actors of the same RunGroup this actor starts after: it starts once each of them
    //! is ready, and on shutdown each of them is interrupted only once this actor has exited
    //! (RunGroup::setDependencies()). Applied when the actor joins its group and before each
    //! start; a change while the group runs applies from the next run. An entry that is not
    //! an actor of this group is ignored with a warning; a cycle is refused with the
    //! RunGroup::setDependencies() warning (the dependencies stay as they were).
    Q_PROPERTY(QQmlListProperty<QObject> after READ after NOTIFY afterChanged)
    //! Whether the actor is ready only once markReady() says so (RunGroup::requireReady()).
    //! Default false: ready as soon as it has started. Read when the actor joins its group;
    //! fixed from then on (a change prints a warning).
    Q_PROPERTY(
        bool requiresReady READ requiresReady WRITE setRequiresReady NOTIFY requiresReadyChanged)
    //! True once the actor has started in the current or last run; reset by each start.
    Q_PROPERTY(bool started READ isStarted NOTIFY startedChanged)
    //! True once the actor is ready in the current or last run (RunGroup::isReady());
    //! reset by each start.
    Q_PROPERTY(bool ready READ isReady NOTIFY readyChanged)
    //! What the actor's exit does to the run (RunGroup::setExitPolicy()): RunGroup.EndRun
    //! (the default), RunGroup.EndRunOnError, RunGroup.RestartOnError or RunGroup.Restart,
    //! the values of RunGroup::ExitPolicy. The restarting ones need an actor that can start
    //! again (a ThreadActor): on another, a warning and the policy stays EndRun. Applied
    //! when the actor joins its group; a change while the group runs is refused with a
    //! warning.
    Q_PROPERTY(int exitPolicy READ exitPolicy WRITE setExitPolicy NOTIFY exitPolicyChanged)
    //! Restarts allowed within restartWindow (RunGroup::setRestartLimit()); the next failure
    //! ends the run. Default 5; negative: warning, unchanged.
    Q_PROPERTY(int maxRestarts READ maxRestarts WRITE setMaxRestarts NOTIFY maxRestartsChanged)
    //! Milliseconds in which maxRestarts restarts are allowed. Default 10000. A number,
    //! rounded to whole milliseconds; below 1, above INT_MAX or not finite: warning,
    //! unchanged.
    Q_PROPERTY(
        double restartWindow READ restartWindow WRITE setRestartWindow NOTIFY restartWindowChanged)
    //! Milliseconds before the first restart, doubled for each next one up to
    //! restartBackoffMax (RunGroup::setRestartBackoff(), ±20% jitter). Default 100; 0 to
    //! INT_MAX.
    Q_PROPERTY(double restartBackoff READ restartBackoff WRITE setRestartBackoff NOTIFY
                   restartBackoffChanged)
    //! The longest wait before a restart. Default 5000; 0 to INT_MAX, and not below
    //! restartBackoff when the group reads them.
    Q_PROPERTY(double restartBackoffMax READ restartBackoffMax WRITE setRestartBackoffMax NOTIFY
                   restartBackoffMaxChanged)
    //! How often the actor restarted in the current or last run (RunGroup::restartCount());
    //! reset by each start.
    Q_PROPERTY(int restarts READ restarts NOTIFY restartsChanged)
    QML_ANONYMOUS

public:
    //! Destroys the actor, on the GUI thread.
    ~RunGroupActor() override;

    //! Returns the actor's name (property name). Call on the GUI thread.
    QString name() const;
    //! Sets the actor's name (property name) and emits nameChanged() if it changed. Call on
    //! the GUI thread; the group reads the name when the actor joins it, so a later change
    //! does not rename the actor in the group.
    void setName(const QString &name);
    //! Returns the QML RunGroup the actor belongs to, or null (property group). Call on the
    //! GUI thread.
    QObject *group() const;
    //! Returns the actor's index in its group, or -1 (property index). Call on the GUI
    //! thread.
    int index() const;
    //! Returns true from the group's start until this actor exits; otherwise returns false.
    //! Call on the GUI thread.
    bool isRunning() const;
    //! Returns the error this actor exited with in the current or last run (property
    //! error). Call on the GUI thread.
    RunError error() const;
    //! Returns the list of actors this actor starts after (property after). Call on the GUI
    //! thread.
    QQmlListProperty<QObject> after();
    //! Returns the entries of after, null for those that were destroyed. Call on the GUI
    //! thread.
    QList<QObject *> afterList() const;
    //! Sets after to actors and emits afterChanged(). Call on the GUI thread.
    void setAfterList(const QList<QObject *> &actors);
    //! Returns whether the actor requires markReady() to be ready (property requiresReady).
    //! Call on the GUI thread.
    bool requiresReady() const;
    //! Sets requiresReady and emits requiresReadyChanged(). Once the actor is in its group:
    //! warning, no change. Call on the GUI thread.
    void setRequiresReady(bool requiresReady);
    //! Returns true once the actor has started in the current or last run (property
    //! started). Call on the GUI thread.
    bool isStarted() const;
    //! Returns true once the actor is ready in the current or last run (property ready).
    //! Call on the GUI thread.
    bool isReady() const;
    //! Returns the exit policy, a RunGroup::ExitPolicy value (property exitPolicy). Call on
    //! the GUI thread.
    int exitPolicy() const;
    //! Sets exitPolicy and emits exitPolicyChanged(); applied to the group at once while it
    //! is idle or finished. A value that is not a RunGroup::ExitPolicy, or any change while
    //! the group runs: warning, no change. Call on the GUI thread.
    void setExitPolicy(int policy);
    //! Returns the number of restarts allowed within restartWindow(). Call on the GUI thread.
    int maxRestarts() const;
    //! Sets maxRestarts and emits maxRestartsChanged(). Negative, or while the group runs:
    //! warning, no change. Call on the GUI thread.
    void setMaxRestarts(int maxRestarts);
    //! Returns the restart window in milliseconds. Call on the GUI thread.
    double restartWindow() const;
    //! Sets restartWindow and emits restartWindowChanged(). Below 1, above INT_MAX, not
    //! finite, or while the group runs: warning, no change. Call on the GUI thread.
    void setRestartWindow(double ms);
    //! Returns the first restart's backoff in milliseconds. Call on the GUI thread.
    double restartBackoff() const;
    //! Sets restartBackoff and emits restartBackoffChanged(). Negative, above INT_MAX, not
    //! finite, or while the group runs: warning, no change. Call on the GUI thread.
    void setRestartBackoff(double ms);
    //! Returns the longest backoff in milliseconds. Call on the GUI thread.
    double restartBackoffMax() const;
    //! Sets restartBackoffMax and emits restartBackoffMaxChanged(); refused as
    //! setRestartBackoff() is. Call on the GUI thread.
    void setRestartBackoffMax(double ms);
    //! Returns how often the actor restarted in the current or last run. Call on the GUI
    //! thread.
    int restarts() const;

    //! Says that this actor, which requiresReady, is ready: RunGroup::markReady() for it.
    //! Thread-safe: a ThreadActor calls it from execute() (the mark then belongs to that
    //! run). The group warns when the actor does not require readiness, is already ready,
    //! has not started or has exited, or when the group is not running. Outside a RunGroup:
    //! warning, no effect.
    Q_INVOKABLE void markReady();

Q_SIGNALS:
    //! This signal is emitted on the GUI thread when name() changes.
    void nameChanged();
    //! This signal is emitted on the GUI thread when the actor joins a group.
    void groupChanged();
    //! This signal is emitted on the GUI thread when index() changes.
    void indexChanged();
    //! This signal is emitted on the GUI thread when isRunning() changes.
    void runningChanged();
    //! This signal is emitted on the GUI thread when error() changes.
    void errorChanged();
    //! This signal is emitted on the GUI thread when the list after changes.
    void afterChanged();
    //! This signal is emitted on the GUI thread when requiresReady() changes.
    void requiresReadyChanged();
    //! This signal is emitted on the GUI thread when isStarted() changes.
    void startedChanged();
    //! This signal is emitted on the GUI thread when isReady() changes.
    void readyChanged();
    //! This signal is emitted on the GUI thread when exitPolicy() changes.
    void exitPolicyChanged();
    //! This signal is emitted on the GUI thread when maxRestarts() changes.
    void maxRestartsChanged();
    //! This signal is emitted on the GUI thread when restartWindow() changes.
    void restartWindowChanged();
    //! This signal is emitted on the GUI thread when restartBackoff() changes.
    void restartBackoffChanged();
    //! This signal is emitted on the GUI thread when restartBackoffMax() changes.
    void restartBackoffMaxChanged();
    //! This signal is emitted on the GUI thread when restarts() changes.
    void restartsChanged();
    //! This signal is emitted on the GUI thread when the actor exited with error and will
    //! start again, its attempt-th restart in this run, after its backoff
    //! (RunGroup::actorRestarting()). No exit is reported for it: running stays true.
    void restarting(const RunError &error, int attempt);
    //! The actor's reload handler (RunGroup::setReloadHandler()): emitted on the GUI thread
    //! when its group's reload() round reaches this actor, which is running. The group's
    //! reloaded() follows once every actor's handler returned. In QML: onReload.
    void reload();

protected:
    //! Constructs an actor with the given parent, on the GUI thread. Only subclasses
    //! construct one.
    explicit RunGroupActor(QObject *parent = nullptr);

    //! Reimplements QQmlParserStatus::classBegin(); does nothing. Called by the QML engine
    //! on the GUI thread.
    void classBegin() override;
    //! Reimplements QQmlParserStatus::componentComplete(): an actor that has not joined a
    //! RunGroup once the GUI thread's queued events have run warns `"Not inside a RunGroup:
    //! this actor never runs"`. Called by the QML engine on the GUI thread.
    void componentComplete() override;

private:
    // Adds this actor to group (the core RunGroup behind the QML one) and returns its
    // index, or -1. Called on the GUI thread while the group is not running.
    virtual int addTo(RunGroup *group) = 0;
    // Called on the GUI thread just before each start of the group, and before each
    // restart of the actor (when it is announced, before its backoff wait).
    virtual void aboutToStart();

    friend class QmlRunGroup;
    friend class RunGroupActorPrivate;
    Q_DECLARE_PRIVATE(RunGroupActor)
    Q_DISABLE_COPY_MOVE(RunGroupActor)
    std::unique_ptr<RunGroupActorPrivate> d_ptr;
};

#endif // RUNGROUPQML_RUNGROUPACTOR_H
